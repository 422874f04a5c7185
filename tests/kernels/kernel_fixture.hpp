// The real plugins (cpu, opencl on PoCL, vulkan on llvmpipe, cuda on a real
// GPU) loaded once into the test, with the live inventory they detect on this
// machine's devices as its own tools see them. Cases that need a device this
// machine may lack say so (support/live_machine.hpp).
#pragma once
#include "core/tool_runner.hpp"
#include "detect/detector.hpp"
#include "kernels/routing.hpp"
#include "plugins/plugin_set.hpp"
#include "support/live_machine.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <string>

namespace gpuhost::test {

struct LivePlugins {
    PluginSet plugins;
    Inventory inventory;
    ToolRunner tools;

    static LivePlugins &get() {
        static LivePlugins live;
        return live;
    }

    // The first device the given plugin reported.
    const boost::json::object &device_of(const std::string &plugin) const {
        for (const auto &d : inventory.devices)
            if (d.as_object().at("plugin") == plugin.c_str()) return d.as_object();
        BOOST_FAIL("no device from plugin " + plugin + " (is its driver installed? tools/install-deps.sh)");
        throw std::logic_error("unreachable");
    }

private:
    LivePlugins() {
        expose_machine_devices();
        PluginSearchOptions options;
        options.dirs = {GPUHOST_PLUGIN_DIR};
        plugins = load_plugins(options);
        DetectOptions detect;
        detect.probes = ProbeRequest::always;  // the probes' own devices (llvmpipe, PoCL) are under test
        detect.probe_timeout = std::chrono::seconds(60);  // a loaded CI machine starts LLVM slowly
        inventory = detect_all(plugins, detect);
    }
};

}  // namespace gpuhost::test
