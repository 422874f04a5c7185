// A well-behaved test plugin: one virtual device, built from TEST_PLUGIN_NAME.
#include "gpuhost/plugin.hpp"

#ifndef TEST_PLUGIN_NAME
#define TEST_PLUGIN_NAME "good"
#endif

class GoodPlugin : public gpuhost::sdk::Plugin {
public:
    gpuhost::sdk::json::object detect(gpuhost::sdk::Host &) override {
        gpuhost::sdk::DeviceRecord d;
        d.vendor = "other";
        d.backend = "cpu";
        d.name = TEST_PLUGIN_NAME " test device";
        d.type = "virtual";
        d.signals = {"test"};
        d.mark_unusable("test device: computes nothing");
        return gpuhost::sdk::detect_result(TEST_PLUGIN_NAME, "present", {d});
    }
    gpuhost::sdk::json::object install(gpuhost::sdk::Host &, const gpuhost::sdk::json::object &) override {
        return {{"accelerators", gpuhost::sdk::json::array{gpuhost::sdk::json::object{{"tag", "cpu"}}}}};
    }
};

GPUHOST_PLUGIN(GoodPlugin, TEST_PLUGIN_NAME, "1.0", "other")
