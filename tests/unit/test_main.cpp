// Every suite's main. Before any test the process is made hermetic
// (support/hermetic_env.hpp). Each test unit skipped by a precondition is named
// with its reason on stdout, and a run whose every selected case was skipped
// exits with kSkippedExitCode, which ctest counts as skipped (SKIP_RETURN_CODE in
// tests/CMakeLists.txt), never as passed.
#define BOOST_TEST_NO_MAIN
#include "support/hermetic_env.hpp"

#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>
#include <iostream>

namespace ut = boost::unit_test;

namespace {

constexpr int kSkippedExitCode = 77;

struct SkipReport : ut::test_observer {
    int skipped = 0;
    unsigned long passed = 0;

    void test_unit_skipped(const ut::test_unit &unit, ut::const_string reason) override {
        if (reason == "disabled") return;  // left out by --run_test, not skipped
        ++skipped;
        std::cout << "SKIPPED " << unit.full_name() << ": " << reason << std::endl;
    }
    void test_finish() override {
        passed = ut::results_collector.results(ut::framework::master_test_suite().p_id).p_test_cases_passed;
    }
};

SkipReport report;

bool init_suite() {
    ut::framework::master_test_suite().p_name.value = "gpuhost";
    ut::framework::register_observer(report);
    return true;
}

}  // namespace

int main(int argc, char *argv[]) {
    gpuhost::test::make_process_hermetic();
    int rc = ut::unit_test_main(&init_suite, argc, argv);
    if (rc == 0 && report.skipped > 0 && report.passed == 0) {
        std::cout << "every selected test case was skipped (reasons above)" << std::endl;
        return kSkippedExitCode;
    }
    return rc;
}
