// The "opencl" probe plugin: run once per detection and shared by every vendor;
// its devices merge with the vendor plugins' by PCI bus id or UUID, and its
// kernel slot runs on any device it found (PoCL, or a GPU whose vendor has no
// plugin, or one whose plugin has no kernels).
#include "gpuhost/plugin.hpp"
#include "opencl_kernels.hpp"
#include "opencl_probe.hpp"

#include <algorithm>

namespace gpuhost::opencl {

class OpenclPlugin : public sdk::Plugin {
public:
    sdk::json::object detect(sdk::Host &host) override {
        ProbeOutcome outcome;
        if (host.root().is_live()) {
            outcome = probe_live();
        } else {
            // A recorded machine: never touch the live drivers.
            auto run = host.run({"clinfo"});
            if (!run.ran()) return sdk::detect_result("opencl", "absent", {}, {"no recorded clinfo output"});
            try {
                outcome = parse_clinfo(run.output);
            } catch (const std::exception &e) {
                return sdk::detect_result("opencl", "absent", {}, {std::string("recorded clinfo unreadable: ") + e.what()});
            }
        }
        if (outcome.devices.empty()) {
            if (!outcome.driver_found && outcome.notes.empty()) outcome.notes.push_back("no OpenCL driver (ICD) answered");
            return sdk::detect_result("opencl", "absent", {}, outcome.notes);
        }
        return sdk::detect_result("opencl", "present", outcome.devices, outcome.notes);
    }

    sdk::json::object install(sdk::Host &, const sdk::json::object &) override {
        // OpenCL alone selects no ML framework build; the vendor plugins do.
        return {{"accelerators", sdk::json::array{sdk::json::object{
                                     {"tag", "cpu"}, {"reason", "no framework build targets OpenCL"}}}},
                {"env", sdk::json::object{}}};
    }

    // A device only a probe knows runs no ML framework build: rank it below
    // the vendor plugins' devices, and a CPU seen this way below the cpu plugin.
    sdk::json::object score(sdk::Host &host, const sdk::json::object &device,
                            const sdk::json::object &workload) override {
        auto result = sdk::score_device(device, workload, install(host, device));
        auto &reasons = result["reasons"].as_array();
        auto type = device.find("type");
        bool cpu = type != device.end() && type->value() == "cpu";
        std::int64_t score = result["score"].to_number<std::int64_t>();
        if (score > 0) score = cpu ? 1 : std::max<std::int64_t>(1, score - 15);
        reasons.emplace_back(cpu ? "a CPU seen through OpenCL: the cpu device serves ML work better"
                                 : "seen only through the OpenCL probe: -15");
        result["score"] = score;
        return result;
    }

    bool has_kernel() const override { return true; }
    gpuhost_status kernel(sdk::Host &, const sdk::json::object &device, gpuhost_kernel_args &args,
                          std::string &message) override {
        return run_opencl_kernel(device, args, message);
    }
};

}  // namespace gpuhost::opencl

GPUHOST_PLUGIN(gpuhost::opencl::OpenclPlugin, "opencl", "0.1.0", "other")
