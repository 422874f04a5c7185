// What the export suites share: running `gpuhost export` on a recorded machine,
// and finding the real consumers (promtool, slurmd) on this machine.
#pragma once
#include "support/run_gpuhost.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <map>
#include <unistd.h>
#include <vector>

namespace gpuhost::test {

inline std::string machine(const std::string &name) { return std::string(GPUHOST_FIXTURES) + "/machines/" + name; }
inline std::string h200_recording() { return std::string(GPUHOST_SOURCE_DIR) + "/tests/data/export/h200-recording"; }

// Every recorded machine under tests/fixtures/machines, sorted.
inline std::vector<std::string> recorded_machines() {
    std::vector<std::string> out;
    for (const auto &e : std::filesystem::directory_iterator(std::string(GPUHOST_FIXTURES) + "/machines"))
        if (e.is_directory()) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Nothing of the user's: no environments, no cache, no settings.
inline std::map<std::string, std::string> quiet_env() {
    return {{"XDG_DATA_HOME", "/nonexistent-gpuhost-data"}};
}

inline ProcessResult run_export(std::vector<std::string> args, std::map<std::string, std::string> env = quiet_env()) {
    args.insert(args.begin(), "export");
    return run_gpuhost(args, std::move(env));
}

// PATH, then the sbin folders a non-root PATH may lack (Debian puts slurmd there).
inline std::string find_program(const std::string &name) {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/sbin:/sbin:/usr/local/sbin";
    std::istringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        auto p = std::filesystem::path(dir) / name;
        if (!dir.empty() && ::access(p.c_str(), X_OK) == 0) return p.string();
    }
    return {};
}

struct program_installed {
    std::string name, package;
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
        boost::test_tools::assertion_result ok(!find_program(name).empty());
        ok.message() << name << " is not installed (Debian package " << package
                     << ", in tools/install-deps.sh): this check against the real consumer is skipped";
        return ok;
    }
};

inline std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace gpuhost::test
