#include "render.hpp"

#include "nfd_labels.hpp"
#include "prometheus_textfile.hpp"
#include "slurm_gres.hpp"
#include "wheel_variants.hpp"

#include "../core/files.hpp"

namespace json = boost::json;

namespace gpuhost::fleet {

Rendered render_export(const std::string &format, const FleetView &view, const ExportOptions &options,
                       const sdk::Sysroot *machine) {
    Rendered r;
    if (format == "nfd") {
        auto labels = nfd_labels(view, options.label_prefix);
        std::string expiry = rfc3339_from_now(options.ttl_seconds);
        // NFD's feature file name: no dot (dot-files are skipped), one per application.
        r.files.push_back({"gpuhost", nfd_feature_file(labels, expiry)});
        json::object l;
        for (const auto &[name, value] : labels) l[name] = value;
        r.summary = {{"expiry_time", expiry}, {"labels", std::move(l)}};
    } else if (format == "slurm") {
        auto s = slurm_export(view, options.node_name, machine);
        // gres.conf carries the slurm.conf fragment as comments, so one file says it all.
        std::string commented = "\n";
        for (std::size_t at = 0; at < s.node_fragment.size();) {
            auto nl = s.node_fragment.find('\n', at);
            std::string line = s.node_fragment.substr(at, nl - at);
            commented += line.rfind("#", 0) == 0 ? line + "\n" : "#   " + line + "\n";
            at = nl == std::string::npos ? s.node_fragment.size() : nl + 1;
        }
        r.files.push_back({"gres.conf", s.gres_conf + commented});
        r.files.push_back({"slurm.conf.fragment", s.node_fragment});
        r.summary = {{"gres_conf", s.gres_conf},     {"slurm_conf", s.node_fragment}, {"gpus", s.gpus},
                     {"autodetect", s.autodetect}, {"autodetect_reason", s.autodetect_reason}};
    } else if (format == "prometheus") {
        std::string text = prometheus_textfile(view);
        // The textfile collector reads *.prom only: the temporary dot-file is never half-read.
        r.files.push_back({"gpuhost.prom", text});
        r.summary = {{"text", text}};
    } else {
        auto v = wheel_variants(view);
        r.files.push_back({"variants.json", pretty_json(v)});
        json::array strings;
        for (const auto &s : variant_property_strings(v)) strings.emplace_back(s);
        r.summary = v;
        r.summary["property_strings"] = std::move(strings);
    }
    return r;
}

}  // namespace gpuhost::fleet
