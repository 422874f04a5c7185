// A Boost.Test precondition for tests that need the real PyPI: pypi.org must
// answer for one project's simple page. When it does not, the tests are skipped
// and say so; they never pretend with a local copy.
#pragma once
#include "core/subprocess.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

namespace gpuhost::test {

struct pypi_reachable {
    std::string project;
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
        ProcessOptions o;
        o.timeout = std::chrono::seconds(20);
        std::string url = "https://pypi.org/simple/" + project + "/";
        auto r = run_process("python3", {"-c", "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10)", url}, o);
        boost::test_tools::assertion_result ok(r.ok());
        ok.message() << url << " is unreachable from here: the tests that need the real PyPI are skipped";
        return ok;
    }
};

}  // namespace gpuhost::test
