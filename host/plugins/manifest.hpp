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
    // The backends this plugin's records may name ("npu"); empty: not declared
    // (a v1 manifest), then whatever its records say.
    std::vector<std::string> backends;
    // Orders backends whose devices score the same when backend_priority does
    // not name them: lower first. Default 50.
    int priority = 50;
    // The vendor folder's Lua (sdk/docs/VENDORS.md), absolute, beside the manifest.
    struct Scripts {
        std::filesystem::path vendor;               // install knowledge and smoke tests
        std::vector<std::filesystem::path> rules;   // recovery rule lists
        std::filesystem::path doctor;               // doctor checks
        bool empty() const { return vendor.empty() && rules.empty() && doctor.empty(); }
    } scripts;
    // Set by the search when the user allowed insecure plugins: the library's
    // owner and mode are not checked (it must still be a regular file).
    bool trust_waived = false;
};

// A backend name: a short lowercase identifier, [a-z][a-z0-9_]{0,15}.
bool is_backend_name(const std::string &name);

inline constexpr const char *kManifestSuffix = ".gpuhost-plugin.json";

// Throws FileError with a one-line reason naming the file.
Manifest read_manifest(const std::filesystem::path &file);
// The platform name manifests use for this build: "linux", "macos", "windows".
const char *current_platform();

}  // namespace gpuhost
