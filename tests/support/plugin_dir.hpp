// A plugin folder for one test: built test plugins copied in, each with its manifest.
#pragma once
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <string>

namespace gpuhost::test {

inline std::string plugin_manifest(const std::string &name, const std::string &library) {
    return "{\"manifest\":1,\"name\":\"" + name + "\",\"vendor\":\"other\",\"version\":\"1.0\",\"library\":\"" +
           library + "\",\"abi\":{\"min\":1,\"max\":1},\"platforms\":[\"linux\"]}";
}

// Copies lib<target>.so from the test plugin folder into dir, with <name>.gpuhost-plugin.json.
inline void add_test_plugin(const TempDir &dir, const std::string &target, const std::string &name) {
    std::string file = "lib" + target + ".so";
    std::filesystem::copy_file(std::filesystem::path(GPUHOST_TEST_PLUGIN_DIR) / file, dir / file,
                               std::filesystem::copy_options::overwrite_existing);
    dir.write(name + ".gpuhost-plugin.json", plugin_manifest(name, file));
}

// What `gpuhost plugins --json` rejected for a fault: its "rejected" list without
// the real plugins a hermetic run turns off on purpose (GPUHOST_DISABLE_PLUGINS).
inline boost::json::array refused_plugins(const boost::json::value &listing) {
    boost::json::array out;
    for (const auto &p : listing.at("rejected").as_array())
        if (p.at("reason") != "disabled by GPUHOST_DISABLE_PLUGINS") out.push_back(p);
    return out;
}

}  // namespace gpuhost::test
