// The JSON file beside each plugin library (sdk/docs/SCHEMA.md, "manifest"):
// lets the host list, filter and reject plugins without running their code.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost {

struct Manifest {
    std::filesystem::path file;     // the manifest itself
    std::string name, vendor, kind, version;
    std::filesystem::path library;  // absolute, resolved beside the manifest
    std::uint32_t abi_min = 0, abi_max = 0;
    std::vector<std::string> platforms;
    // Set by the search when the user allowed insecure plugins: the library's
    // owner and mode are not checked (it must still be a regular file).
    bool trust_waived = false;
};

inline constexpr const char *kManifestSuffix = ".gpuhost-plugin.json";

// Throws FileError with a one-line reason naming the file.
Manifest read_manifest(const std::filesystem::path &file);
// The platform name manifests use for this build: "linux", "macos", "windows".
const char *current_platform();

}  // namespace gpuhost
