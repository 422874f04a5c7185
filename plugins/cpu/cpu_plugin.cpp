// The cpu plugin: always present, always usable; the fallback for every plan.
#include "cpu_kernels.hpp"
#include "cpu_probe.hpp"
#include "gpuhost/plugin.hpp"

namespace gpuhost::cpu {

class CpuPlugin : public sdk::Plugin {
public:
    sdk::json::object detect(sdk::Host &host) override {
        auto facts = read_cpu_facts(host.root());
        return sdk::detect_result("cpu", "present", {to_device(facts)}, facts.notes);
    }

    sdk::json::object install(sdk::Host &, const sdk::json::object &) override {
        return {{"accelerators",
                 sdk::json::array{sdk::json::object{{"tag", "cpu"}, {"reason", "CPU builds run everywhere"}}}},
                {"env", sdk::json::object{}}};
    }

    bool has_kernel() const override { return true; }
    gpuhost_status kernel(sdk::Host &, const sdk::json::object &, gpuhost_kernel_args &args,
                          std::string &message) override {
        return run_cpu_kernel(args, message);
    }
};

}  // namespace gpuhost::cpu

GPUHOST_PLUGIN(gpuhost::cpu::CpuPlugin, "cpu", "0.1.0", "cpu")
