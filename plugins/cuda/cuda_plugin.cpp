// The cuda plugin: NVIDIA GPUs through NVML, the CUDA driver API, procfs and
// nvidia-smi, each device with the reason it is or is not usable.
#include "cuda_driver_probe.hpp"
#include "cuda_kernels.hpp"
#include "gpuhost/plugin.hpp"
#include "nvidia_smi_parse.hpp"
#include "nvml_probe.hpp"
#include "record_builder.hpp"

namespace gpuhost::cuda {

namespace {

// Tries the CSV query, then -q, then the plain table, then the XML report and
// the bare list: old drivers lack compute_cap in CSV, and recordings may hold
// only some of the forms (a later form runs only when the earlier ones failed).
SignalReport run_nvidia_smi(sdk::Host &host, bool wsl) {
    std::string tool = wsl && host.root().exists("/usr/lib/wsl/lib/nvidia-smi") ? "/usr/lib/wsl/lib/nvidia-smi" : "nvidia-smi";
    struct Form {
        std::vector<std::string> args;
        SignalReport (*parse)(const std::string &);
    };
    const Form forms[] = {
        {{std::string("--query-gpu=") + kSmiQueryFields, "--format=csv,noheader,nounits"}, &parse_smi_csv},
        {{"-q"}, &parse_smi_query},
        {{}, &parse_smi_table},
        {{"-q", "-x"}, &parse_smi_xml},
        {{"-L"}, &parse_smi_list},
    };
    SignalReport best;
    best.signal = "nvidia-smi";
    best.error = "nvidia-smi not found";
    for (const auto &form : forms) {
        std::vector<std::string> argv{tool};
        argv.insert(argv.end(), form.args.begin(), form.args.end());
        auto result = host.run(argv);
        if (!result.ran()) continue;
        if (result.exit_code == 124) {
            best.failure = Failure::other;
            best.error = "nvidia-smi timed out: the driver may be hung (check dmesg for Xid errors)";
            continue;
        }
        SignalReport r = form.parse(result.output);
        r.signal = "nvidia-smi";
        if (r.ok()) return r;
        // Keep the most telling failure: the tool's own message over a parse error.
        if (best.failure == Failure::not_found || (best.failure == Failure::other && r.failure != Failure::other)) best = r;
    }
    return best;
}

}  // namespace

class CudaPlugin : public sdk::Plugin {
public:
    sdk::json::object detect(sdk::Host &host) override {
        const auto &root = host.root();
        Signals s;
        s.cuda_visible_devices = hidden_devices_setting();
        s.procfs = read_nvidia_procfs(root);
        if (!s.procfs.jetson) s.nvml = probe_nvml(root);  // Jetson has no NVML
        if (!s.nvml.ok()) s.cuda_driver = probe_cuda_driver(root);
        if (!s.nvml.ok() && !s.cuda_driver.ok() && !s.procfs.jetson) s.smi = run_nvidia_smi(host, s.procfs.wsl);
        if (s.procfs.jetson)
            s.jetson_cuda_library = s.cuda_driver.ok() || root.exists("/usr/lib/aarch64-linux-gnu/tegra/libcuda.so.1") ||
                                    root.exists("/usr/lib/aarch64-linux-gnu/tegra/libcuda.so");
        for (const auto *r : {&s.nvml, &s.cuda_driver, &s.smi})
            if (!r->error.empty()) host.debug("cuda: " + r->error);
        auto result = build_records(s);
        return sdk::detect_result("cuda", result.status, result.devices, result.notes);
    }

    sdk::json::object install(sdk::Host &, const sdk::json::object &device) override {
        sdk::json::array accelerators;
        sdk::json::object facts;
        auto text = [&](const char *key) {
            auto it = device.find(key);
            return it != device.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
        };
        auto usable = device.find("usable");
        bool ok = usable == device.end() || !usable->value().is_bool() || usable->value().as_bool();
        std::string cuda;
        if (auto rt = device.find("runtime"); rt != device.end() && rt->value().is_object())
            if (auto v = rt->value().as_object().find("version"); v != rt->value().as_object().end() && v->value().is_string())
                cuda = std::string(v->value().as_string());
        if (ok && !cuda.empty()) {
            std::string tag = "cu";
            for (char c : cuda)
                if (c != '.') tag += c;
            accelerators.push_back(sdk::json::object{
                {"tag", tag}, {"reason", "driver " + text("driver_version") + " supports CUDA up to " + cuda}});
            facts["cuda_version"] = cuda;
        }
        if (!text("driver_version").empty()) facts["driver_version"] = text("driver_version");
        if (!text("architecture").empty()) facts["compute_capabilities"] = sdk::json::array{sdk::json::string(text("architecture"))};
        accelerators.push_back(sdk::json::object{
            {"tag", "cpu"}, {"reason", ok ? "fallback" : "this GPU is not usable: " + text("reason")}});
        return {{"accelerators", accelerators}, {"env", sdk::json::object{}}, {"facts", facts}};
    }

    bool has_kernel() const override { return true; }

    gpuhost_status kernel(sdk::Host &host, const sdk::json::object &device, gpuhost_kernel_args &args,
                          std::string &message) override {
        return run_cuda_kernel(host.root(), device, args, message);
    }
};

}  // namespace gpuhost::cuda

GPUHOST_PLUGIN(gpuhost::cuda::CudaPlugin, "cuda", "0.1.0", "nvidia")
