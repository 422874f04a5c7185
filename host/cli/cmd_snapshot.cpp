// gpuhost snapshot DIR: record this machine so `gpuhost detect --sysroot DIR` replays it.
#include "../detect/snapshot.hpp"
#include "../core/files.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

#include <filesystem>
#include <iostream>

namespace json = boost::json;

namespace gpuhost::cli {

static json::array to_array(const std::vector<std::string> &items) {
    json::array a;
    for (const auto &s : items) a.emplace_back(s);
    return a;
}

int run_snapshot(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common, false);
    std::string dir;
    options.add_options()("dir", po::value<std::string>(&dir)->required(), "the folder to write (new or empty)");
    po::positional_options_description positional;
    positional.add("dir", 1);
    po::variables_map vm;
    if (!parse("snapshot", "DIR [options]",
               "Records what the plugins read on this machine: /proc (cpuinfo, meminfo, version,\n"
               "driver/nvidia), driver module versions, the KFD topology, DRM and display-class PCI\n"
               "devices' sysfs files, device nodes (empty files; those this user cannot open are listed\n"
               "in DIR/.gpuhost/denied) and the outputs of the vendor tools the plugins run\n"
               "(DIR/tools/<key>.txt and .exit). `gpuhost detect --sysroot DIR` then replays the machine,\n"
               "here or anywhere: attach DIR to a bug report, or turn it into a test fixture.",
               options, args, vm, &positional))
        return kOk;
    apply_verbosity(common);
    // DIR is checked here, so a folder that cannot be made is a usage error in plain words.
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        throw UsageError("gpuhost snapshot: DIR \"" + dir + "\" cannot be made (" +
                         (ec ? ec.message() : std::string("not a folder")) + "): give a new or empty folder you can write");
    SnapshotReport report;
    try {
        report = take_snapshot(dir, ToolRunner());
    } catch (const std::filesystem::filesystem_error &e) {
        throw WriteError(e.path1().string() + ": " + e.code().message() + " (while recording into " + dir + ")");
    }
    if (common.json) {
        print_json(json::object{{"dir", dir},
                                {"files", to_array(report.files)},
                                {"nodes", to_array(report.nodes)},
                                {"denied", to_array(report.denied)},
                                {"tools", to_array(report.tools)},
                                {"skipped", to_array(report.skipped)}});
    } else {
        std::cout << "recorded " << report.files.size() << " files, " << report.nodes.size() << " device nodes ("
                  << report.denied.size() << " not accessible), " << report.tools.size() << " tool outputs into "
                  << dir << "\n";
        for (const auto &s : report.skipped) std::cout << "  skipped " << s << "\n";
        std::cout << "replay: gpuhost detect --sysroot " << dir << "\n";
    }
    return kOk;
}

}  // namespace gpuhost::cli
