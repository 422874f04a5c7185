// One format rendered from the fleet view: the files it makes and its JSON
// summary. `gpuhost export FORMAT` writes the main file (or prints it);
// `--all DIR` writes every file of every format under DIR/<format>/.
#pragma once
#include "fleet_view.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost::sdk {
class Sysroot;
}

namespace gpuhost::fleet {

inline const std::vector<std::string> &export_formats() {
    static const std::vector<std::string> formats = {"nfd", "slurm", "prometheus", "variants"};
    return formats;
}

struct ExportOptions {
    std::string label_prefix = "gpuhost.io";
    long long ttl_seconds = 3600;
    std::string node_name;
};

struct RenderedFile {
    std::string name;     // file name within DIR/<format>/ for --all
    std::string content;
};

struct Rendered {
    std::vector<RenderedFile> files;  // the first is what --output receives
    boost::json::object summary;      // for --json
};

// format must be one of export_formats().
Rendered render_export(const std::string &format, const FleetView &view, const ExportOptions &options,
                       const sdk::Sysroot *machine);

}  // namespace gpuhost::fleet
