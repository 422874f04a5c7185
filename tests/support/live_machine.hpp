// What the machine under a live test has, as its own tools say (vulkaninfo,
// clinfo, the real libcuda), and the Boost.Test decorators that skip a case
// when a device it needs is absent. A skipped case says why (test_main.cpp
// prints it) and ctest counts it as skipped, never as passed.
//
// Each such case carries the labels needs_device and its device's (llvmpipe,
// pocl, nvidia); tests/CMakeLists.txt runs each device's cases as their own
// ctest entry, "<suite>_<device>".
#pragma once
#include "core/subprocess.hpp"
#include "support/hermetic_env.hpp"

#include <boost/test/unit_test.hpp>
#include <dlfcn.h>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace gpuhost::test {

// Runs one of the machine's own tools as the machine has it: with its device
// variables, without gpuhost's. started=false when it is not installed.
inline ProcessResult run_machine_tool(const std::string &tool, const std::vector<std::string> &args) {
    ProcessOptions options;
    options.timeout = std::chrono::seconds(60);
    live_gpuhost_environment().apply_to(options);
    return run_process(tool, args, options);
}

// Whether the machine has a device, and the sentence that says why not.
struct Presence {
    bool present = false;
    std::string why_not;
};

inline std::string hidden_by_variables() {
    std::string vars = describe_machine_device_variables();
    return vars.empty() ? std::string() : " (this run has " + vars + ")";
}

// A Vulkan device of type CPU: llvmpipe (Mesa's software rasteriser), which no
// vendor plugin claims, so gpuhost lists it from its vulkan plugin.
inline const Presence &vulkan_cpu_device() {
    static const Presence p = [] {
        Presence out;
        auto r = run_machine_tool("vulkaninfo", {"--summary"});
        if (!r.started) out.why_not = "vulkaninfo is not installed, so nothing here can show a Vulkan device (tools/install-deps.sh)";
        else if (r.exit_code != 0 || r.output.find("PHYSICAL_DEVICE_TYPE_CPU") == std::string::npos)
            out.why_not = "vulkaninfo --summary lists no Vulkan CPU device (llvmpipe: mesa-vulkan-drivers)" + hidden_by_variables();
        else out.present = true;
        return out;
    }();
    return p;
}

// An OpenCL device of type CPU: PoCL, which gpuhost lists from its opencl plugin.
inline const Presence &opencl_cpu_device() {
    static const Presence p = [] {
        Presence out;
        auto r = run_machine_tool("clinfo", {});
        bool cpu = false;
        std::istringstream lines(r.output);
        for (std::string line; std::getline(lines, line);) {
            auto at = line.find("Device Type");
            if (at != std::string::npos && line.find_first_not_of(' ') == at && line.find("CPU", at) != std::string::npos)
                cpu = true;
        }
        if (!r.started) out.why_not = "clinfo is not installed, so nothing here can show an OpenCL device (tools/install-deps.sh)";
        else if (r.exit_code != 0 || !cpu)
            out.why_not = "clinfo lists no OpenCL CPU device (PoCL: pocl-opencl-icd)" + hidden_by_variables();
        else out.present = true;
        return out;
    }();
    return p;
}

// An NVIDIA GPU as the machine's own CUDA driver sees it: the real
// libcuda.so.1 from the library path (never a GPUHOST_CUDA_LIBRARY test
// driver: main() cleared those), initialised, with at least one device.
inline const Presence &nvidia_gpu() {
    static const Presence p = [] {
        Presence out;
        expose_machine_devices();  // CUDA_VISIBLE_DEVICES, as the machine has it
        void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            out.why_not = "no NVIDIA driver here: libcuda.so.1 cannot be opened";
            return out;
        }
        using init_fn = int (*)(unsigned);
        using count_fn = int (*)(int *);
        auto init = reinterpret_cast<init_fn>(dlsym(lib, "cuInit"));
        auto count = reinterpret_cast<count_fn>(dlsym(lib, "cuDeviceGetCount"));
        int n = 0, rc = -1;
        if (!init || !count) out.why_not = "libcuda.so.1 lacks cuInit/cuDeviceGetCount";
        else if ((rc = init(0)) != 0) out.why_not = "cuInit failed with CUresult " + std::to_string(rc) + hidden_by_variables();
        else if ((rc = count(&n)) != 0 || n < 1)
            out.why_not = "the CUDA driver reports no GPU" + hidden_by_variables();
        else out.present = true;
        return out;  // never closed: the plugin will open the same library
    }();
    return p;
}

// A device a test may need, by its label.
struct Need {
    std::string label;        // "llvmpipe": the label, and the ctest entry "<suite>_llvmpipe"
    std::string what;         // "a Vulkan CPU device (llvmpipe)"
    const Presence &(*presence)();
};

inline const Need kLlvmpipe{"llvmpipe", "a Vulkan CPU device (llvmpipe)", &vulkan_cpu_device};
inline const Need kPocl{"pocl", "an OpenCL CPU device (PoCL)", &opencl_cpu_device};
inline const Need kNvidiaGpu{"nvidia", "an NVIDIA GPU", &nvidia_gpu};

// The device a test of a plugin's own device needs, or none (cpu: every machine).
inline const Need *need_for_plugin(const std::string &plugin) {
    if (plugin == "vulkan") return &kLlvmpipe;
    if (plugin == "opencl") return &kPocl;
    if (plugin == "cuda") return &kNvidiaGpu;
    return nullptr;
}

namespace detail {

inline void require(boost::unit_test::test_unit &unit, const Need &need) {
    unit.add_label("needs_device");
    unit.add_label(need.label);
    unit.add_precondition([need](boost::unit_test::test_unit_id) {
        const Presence &p = need.presence();
        boost::test_tools::assertion_result ok(p.present);
        if (!p.present) ok.message() << "needs " << need.what << ": " << p.why_not;
        return ok;
    });
}

}  // namespace detail

// BOOST_AUTO_TEST_CASE(name, *test::needs(test::kLlvmpipe)): skipped, with the
// reason, when the machine lacks the device.
class needs : public boost::unit_test::decorator::base {
public:
    explicit needs(const Need &need) : need_(need) {}
    void apply(boost::unit_test::test_unit &unit) override { detail::require(unit, need_); }
    boost::unit_test::decorator::base_ptr clone() const override { return boost::unit_test::decorator::base_ptr(new needs(*this)); }

private:
    Need need_;
};

// For a BOOST_DATA_TEST_CASE over plugin names: the case of each sample needs
// that plugin's device (need_for_plugin). Boost.Test names the generated cases
// _0, _1, ... in the order of the samples.
//   BOOST_TEST_DECORATOR(*test::needs_device_of_each(kBackends))
//   BOOST_DATA_TEST_CASE(name, bdata::make(kBackends), plugin)
class needs_device_of_each : public boost::unit_test::decorator::base {
public:
    explicit needs_device_of_each(std::vector<std::string> plugins) : plugins_(std::move(plugins)) {}
    void apply(boost::unit_test::test_unit &unit) override {
        std::string name = unit.p_name;
        size_t index = name.size() > 1 && name[0] == '_' ? std::stoul(name.substr(1)) : plugins_.size();
        if (index >= plugins_.size())
            throw std::logic_error("needs_device_of_each: " + unit.full_name() + " is not a data test case of " +
                                   std::to_string(plugins_.size()) + " samples");
        if (const Need *need = need_for_plugin(plugins_[index])) detail::require(unit, *need);
    }
    boost::unit_test::decorator::base_ptr clone() const override {
        return boost::unit_test::decorator::base_ptr(new needs_device_of_each(*this));
    }

private:
    std::vector<std::string> plugins_;
};

// A machine tool a live comparison needs (vulkaninfo, clinfo, nvidia-smi):
// skipped with the reason when it is not installed.
inline boost::unit_test::precondition needs_tool(const std::string &tool) {
    return boost::unit_test::precondition([tool](boost::unit_test::test_unit_id) {
        boost::test_tools::assertion_result ok(!find_on_path(tool).empty());
        if (!ok) ok.message() << tool << " is not installed here, so there is nothing to compare with (tools/install-deps.sh)";
        return ok;
    });
}

}  // namespace gpuhost::test
