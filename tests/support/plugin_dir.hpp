// A plugin folder for one test: built test plugins copied in, each with its manifest.
#pragma once
#include "support/temp_dir.hpp"

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

}  // namespace gpuhost::test
