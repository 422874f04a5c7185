// The "opencl" probe plugin: run once per detection and shared by every vendor;
// its devices merge with the vendor plugins' by PCI bus id or UUID, and its
// kernel slot runs on any device it found (PoCL, or a GPU whose vendor has no
// plugin, or one whose plugin has no kernels).
#include "gpuhost/probe_plugin.hpp"
#include "opencl_kernels.hpp"
#include "opencl_probe.hpp"

#include <algorithm>

namespace gpuhost::opencl {

class OpenclPlugin : public sdk::ProbePlugin {
public:
    OpenclPlugin() : ProbePlugin("OpenCL") {}

    sdk::json::object detect(sdk::Host &host) override {
        ProbeOutcome outcome;
        if (host.root().is_live()) {
            outcome = probe_live();
        } else {
            // A recorded machine: never touch the live drivers.
            // A recorded machine: never touch the live drivers. The full
            // `clinfo` first; `clinfo -l` (names only) when that is missing.
            auto run = host.run({"clinfo"});
            if (!run.ran()) {
                auto list = host.run({"clinfo", "-l"});
                if (!list.ran()) return sdk::detect_result("opencl", "absent", {}, {"no recorded clinfo output"});
                try {
                    outcome = parse_clinfo_list(list.output);
                } catch (const std::exception &e) {
                    return sdk::detect_result("opencl", "absent", {}, {std::string("recorded clinfo -l unreadable: ") + e.what()});
                }
            } else {
                try {
                    outcome = parse_clinfo(run.output);
                } catch (const std::exception &e) {
                    return sdk::detect_result("opencl", "absent", {}, {std::string("recorded clinfo unreadable: ") + e.what()});
                }
            }
        }
        if (outcome.devices.empty()) {
            if (!outcome.driver_found && outcome.notes.empty()) outcome.notes.push_back("no OpenCL driver (ICD) answered");
            return sdk::detect_result("opencl", "absent", {}, outcome.notes);
        }
        return sdk::detect_result("opencl", "present", outcome.devices, outcome.notes);
    }

    gpuhost_status kernel(sdk::Host &, const sdk::json::object &device, gpuhost_kernel_args &args,
                          std::string &message) override {
        return run_opencl_kernel(device, args, message);
    }
};

}  // namespace gpuhost::opencl

GPUHOST_PLUGIN(gpuhost::opencl::OpenclPlugin, "opencl", "0.1.0", "other")
