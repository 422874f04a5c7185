// The smallest useful plugin: one class, one macro. It reports a virtual
// device that is never usable, so it can be dropped in without harm.
#include <gpuhost/plugin.hpp>

namespace sdk = gpuhost::sdk;

class ExamplePlugin : public sdk::Plugin {
public:
    sdk::json::object detect(sdk::Host &host) override {
        sdk::DeviceRecord device;
        device.vendor = "other";
        device.backend = "cpu";
        device.name = "Example virtual accelerator";
        device.type = "virtual";
        device.signals = {"example"};
        device.mark_unusable("an example plugin's device: it computes nothing");
        host.debug("example plugin detected its virtual device");
        return sdk::detect_result("example", "present", {device});
    }

    sdk::json::object install(sdk::Host &, const sdk::json::object &) override {
        return {{"accelerators", sdk::json::array{sdk::json::object{{"tag", "cpu"}}}}};
    }
};

GPUHOST_PLUGIN(ExamplePlugin, "example", "1.0.0", "other")
