// uv for the tests that need it: from PATH, else installed from PyPI into
// build/test-tools/uv (tools/install-uv.sh); empty when neither works.
#pragma once
#include "core/subprocess.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>

namespace gpuhost::test {

inline std::string find_or_install_uv() {
    static std::string uv = [] {
        std::string on_path = find_on_path("uv");
        if (!on_path.empty()) return on_path;
        std::filesystem::path tool = std::filesystem::path(GPUHOST_TEST_TOOLS_DIR) / "uv";
        if (!std::filesystem::exists(tool / "bin" / "uv")) {
            ProcessOptions o;
            o.timeout = std::chrono::seconds(300);
            auto r = run_process("bash", {std::string(GPUHOST_SOURCE_DIR) + "/tools/install-uv.sh", tool.string()}, o);
            if (!r.ok()) return std::string();
        }
        return (tool / "bin" / "uv").string();
    }();
    return uv;
}

struct have_uv {
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) {
        boost::test_tools::assertion_result ok(!find_or_install_uv().empty());
        ok.message() << "uv is not on PATH and could not be installed from PyPI (tools/install-uv.sh): uv tests skipped";
        return ok;
    }
};

}  // namespace gpuhost::test
