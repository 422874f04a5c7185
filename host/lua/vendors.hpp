// A vendor is a folder (sdk/docs/VENDORS.md): beside its plugin library and
// manifest, the Lua the manifest names (install knowledge and smoke tests,
// recovery rules, doctor checks). This loads that Lua into an engine, under
// the same ownership checks as the library, and checks its shape. A broken
// file is reported with its file and line and left out; every other vendor
// still loads.
#pragma once
#include "../plugins/plugin_set.hpp"
#include "engine.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost::lua {

struct VendorProblem {
    std::string plugin;
    std::string file;
    int line = 0;
    std::string message;
    std::string describe() const;  // "FILE:LINE: message"
};

struct VendorInfo {
    std::string plugin, vendor;
    std::vector<std::string> backends;
    int priority = 50;
    std::vector<std::string> files;  // the Lua files that loaded
};

struct VendorScripts {
    std::vector<VendorInfo> loaded;  // in priority order
    std::vector<VendorProblem> problems;
    boost::json::value to_json() const;
};

// Reads the manifests on the search path (no plugin code runs) and loads each
// one's Lua into `engine`: gpuhost.vendors (a list, priority order) gets each
// vendor table with plugin, vendor, backends and priority filled in; rule
// files are registered with engine.add_rule_source; doctor check lists go to
// gpuhost.vendor_doctor.
VendorScripts load_vendor_scripts(Engine &engine, const PluginSearchOptions &options);
VendorScripts load_vendor_scripts(Engine &engine);  // the default search path

}  // namespace gpuhost::lua
