// A plugin manifest (*.gpuhost-plugin.json), read before any plugin code runs:
// read_manifest refuses with FileError naming the file, nothing else escapes,
// and what it accepts names a library in the manifest's own folder.
#include "fuzz_support.hpp"

#include "core/files.hpp"
#include "plugins/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    auto file = fuzz::write_scratch(std::string("plugins/fuzz") + kManifestSuffix, data, size);
    try {
        Manifest m = read_manifest(file);
        FUZZ_CHECK(m.library.parent_path() == file.parent_path(), m.library.string());
        FUZZ_CHECK(m.abi_min <= m.abi_max, m.name);
        for (const auto &b : m.backends) FUZZ_CHECK(is_backend_name(b), b);
    } catch (const FileError &) {
    }
    return 0;
}
