// Shared by the fuzz targets: the input as text, a scratch folder for the
// readers that take a path, and a check that fails loudly (a property a
// parser promises, broken, is a finding like a crash).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace gpuhost::fuzz {

inline std::string text(const std::uint8_t *data, std::size_t size) {
    return std::string(reinterpret_cast<const char *>(data), size);
}

// Aborts with the message: libFuzzer and the replay both report it as a crash.
[[noreturn]] inline void fail(const char *what, const std::string &detail = {}) {
    std::fprintf(stderr, "fuzz property broken: %s %s\n", what, detail.c_str());
    std::abort();
}
#define FUZZ_CHECK(cond, detail) \
    do { \
        if (!(cond)) ::gpuhost::fuzz::fail(#cond, (detail)); \
    } while (0)

// One folder per process, in /dev/shm when there is one (no disk writes per
// input), removed at exit.
inline const std::filesystem::path &scratch_dir() {
    static const std::filesystem::path dir = [] {
        std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
        if (const char *t = std::getenv("GPUHOST_FUZZ_SCRATCH")) base = t;
        std::string tmpl = base + "/gpuhost-fuzz-XXXXXX";
        if (!mkdtemp(tmpl.data())) fail("mkdtemp", tmpl);
        static struct Remove {
            std::filesystem::path p;
            ~Remove() {
                std::error_code ec;
                std::filesystem::remove_all(p, ec);
            }
        } remove{tmpl};
        return std::filesystem::path(tmpl);
    }();
    return dir;
}

// Writes the input to scratch_dir()/relative and returns its path.
inline std::filesystem::path write_scratch(const std::string &relative, const std::uint8_t *data, std::size_t size) {
    auto path = scratch_dir() / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), std::streamsize(size));
    if (!out) fail("cannot write scratch file", path.string());
    return path;
}

}  // namespace gpuhost::fuzz
