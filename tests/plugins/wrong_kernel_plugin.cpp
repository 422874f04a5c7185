// A plugin whose kernels compute wrongly on purpose, so the checker's verdict
// can be tested. The device record's details.fault picks the fault:
//   "off_by_a_little": saxpy uses alpha * (1 + 1e-4); copy scales by (1 + 1e-6)
//   "skip_last":       saxpy and copy leave the last element unwritten
//   "correct":         both right (the control)
//   anything else:     answers "unsupported", so kernels must route elsewhere
#include "gpuhost/kernel_support.hpp"
#include "gpuhost/plugin.hpp"

using namespace gpuhost;

class WrongKernelPlugin : public sdk::Plugin {
public:
    sdk::json::object detect(sdk::Host &) override {
        sdk::DeviceRecord d;
        d.vendor = "other";
        d.backend = "cpu";
        d.name = "deliberately wrong kernels";
        d.type = "virtual";
        d.signals = {"test"};
        d.details = {{"fault", "off_by_a_little"}};
        return sdk::detect_result("test_wrong", "present", {d});
    }
    sdk::json::object install(sdk::Host &, const sdk::json::object &) override {
        return {{"accelerators", sdk::json::array{sdk::json::object{{"tag", "cpu"}}}}};
    }
    bool has_kernel() const override { return true; }
    gpuhost_status kernel(sdk::Host &, const sdk::json::object &device, gpuhost_kernel_args &args,
                          std::string &message) override {
        std::string fault;
        if (auto d = device.find("details"); d != device.end() && d->value().is_object())
            if (auto f = d->value().as_object().find("fault"); f != d->value().as_object().end() && f->value().is_string())
                fault = f->value().as_string();
        if (auto why = sdk::validate_kernel_args(args); !why.empty()) {
            message = why;
            return GPUHOST_ERR_ARGUMENT;
        }
        bool known = fault == "off_by_a_little" || fault == "skip_last" || fault == "correct";
        if (!known || (args.kernel != GPUHOST_KERNEL_SAXPY && args.kernel != GPUHOST_KERNEL_COPY)) {
            message = "no kernel for this device";
            return GPUHOST_ERR_UNSUPPORTED;
        }
        std::uint64_t count = fault == "skip_last" ? args.n - 1 : args.n;
        float scale = fault == "off_by_a_little" ? (args.kernel == GPUHOST_KERNEL_SAXPY ? 1.0001f : 1.000001f) : 1.0f;
        for (std::uint64_t i = 0; i < count; ++i)
            args.y[i] = args.kernel == GPUHOST_KERNEL_SAXPY ? args.alpha * scale * args.x[i] + args.y[i]
                                                            : args.x[i] * scale;
        args.seconds = 1e-6;
        message = "test_wrong: " + fault;
        return GPUHOST_OK;
    }
};

GPUHOST_PLUGIN(WrongKernelPlugin, "test_wrong", "1.0", "other")
