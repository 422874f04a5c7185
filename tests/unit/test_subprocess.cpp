// run_process bounds its wait: a deadline or a cancel kills everything the
// child started, and a grandchild holding the output pipe after the child
// exits does not keep the caller waiting.
#include "core/subprocess.hpp"

#include "support/text.hpp"
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <cstdlib>
#include <string>

using namespace gpuhost;

using gpuhost::test::contains;

namespace {

// The grandchild would print "late" 30 s on, were it left alive and read.
const std::string kLateGrandchild = "(sleep 30; echo late) & ";

// The first output line is the child's pid, which is also its process group.
void kill_group_of(const ProcessResult &r) {
    pid_t pgid = std::atoi(r.output.c_str());
    if (pgid > 1) ::kill(-pgid, SIGKILL);
}

}  // namespace

BOOST_AUTO_TEST_CASE(deadline_kills_the_grandchildren_too) {
    ProcessOptions po;
    po.timeout = std::chrono::milliseconds(300);
    auto r = run_process("sh", {"-c", "echo $$; " + kLateGrandchild + "wait"}, po);
    BOOST_TEST(r.timed_out);
    BOOST_TEST(!contains(r.output, "late"), r.output);
    kill_group_of(r);
}

BOOST_AUTO_TEST_CASE(cancel_kills_the_grandchildren_too) {
    ProcessOptions po;
    po.timeout = std::chrono::minutes(5);
    po.cancelled = [] { return true; };
    auto r = run_process("sh", {"-c", "echo $$; " + kLateGrandchild + "wait"}, po);
    BOOST_TEST(r.cancelled);
    BOOST_TEST(!contains(r.output, "late"), r.output);
    kill_group_of(r);
}

BOOST_AUTO_TEST_CASE(a_grandchild_holding_the_pipe_does_not_hold_the_wait) {
    ProcessOptions po;
    po.timeout = std::chrono::minutes(5);
    po.pipe_grace = std::chrono::milliseconds(200);
    auto r = run_process("sh", {"-c", "echo $$; " + kLateGrandchild + "echo early"}, po);
    BOOST_TEST(r.ok(), r.describe());
    BOOST_TEST(contains(r.output, "early"), r.output);
    BOOST_TEST(!contains(r.output, "late"), r.output);
    kill_group_of(r);  // the grandchild was left running: end it here
}

BOOST_AUTO_TEST_CASE(output_of_a_quick_child_is_read_to_its_end) {
    auto r = run_process("sh", {"-c", "seq 1 20000; echo done >&2"});
    BOOST_TEST(r.ok(), r.describe());
    BOOST_TEST(contains(r.output, "\n20000\n"));
    BOOST_TEST(r.error_output == "done\n");
}

BOOST_AUTO_TEST_CASE(a_signal_is_named) {
    auto r = run_process("sh", {"-c", "kill -SEGV $$"});
    BOOST_TEST(r.describe() == "killed by SIGSEGV");
}
