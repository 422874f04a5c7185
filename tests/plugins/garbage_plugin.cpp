// Loads fine but answers detect with text that is not JSON.
#include "gpuhost/plugin.hpp"

class GarbagePlugin : public gpuhost::sdk::Plugin {
public:
    gpuhost::sdk::json::object detect(gpuhost::sdk::Host &) override {
        throw std::runtime_error("probe exploded");
    }
    gpuhost::sdk::json::object install(gpuhost::sdk::Host &, const gpuhost::sdk::json::object &) override {
        return {};
    }
};

GPUHOST_PLUGIN(GarbagePlugin, "garbage", "1.0", "other")
