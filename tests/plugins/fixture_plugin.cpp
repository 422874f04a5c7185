// A plugin that reports the devices a test wrote: its detect answer is the file
// named by GPUHOST_TEST_FIXTURE_DEVICES (a whole detect result). install gives each
// device the build tag in details.build_tag ("cpu" when absent); score is the SDK default,
// or GPUHOST_TEST_FIXTURE_SCORE for every device (a plugin that scores too high).
#include "gpuhost/plugin.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace json = gpuhost::sdk::json;

class FixturePlugin : public gpuhost::sdk::Plugin {
public:
    json::object detect(gpuhost::sdk::Host &) override {
        const char *file = std::getenv("GPUHOST_TEST_FIXTURE_DEVICES");
        if (!file) throw std::runtime_error("GPUHOST_TEST_FIXTURE_DEVICES is not set");
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        return json::parse(text.str()).as_object();
    }
    json::object score(gpuhost::sdk::Host &host, const json::object &device, const json::object &workload) override {
        const char *forced = std::getenv("GPUHOST_TEST_FIXTURE_SCORE");
        if (!forced) return gpuhost::sdk::Plugin::score(host, device, workload);
        return {{"score", std::atoi(forced)}, {"reasons", json::array{"GPUHOST_TEST_FIXTURE_SCORE"}}};
    }
    json::object install(gpuhost::sdk::Host &, const json::object &device) override {
        std::string tag = "cpu";
        if (auto d = device.find("details"); d != device.end() && d->value().is_object())
            if (auto t = d->value().as_object().find("build_tag"); t != d->value().as_object().end())
                tag = std::string(t->value().as_string());
        return {{"accelerators", json::array{json::object{{"tag", tag}}}}};
    }
};

GPUHOST_PLUGIN(FixturePlugin, "fixture", "1.0", "other")
