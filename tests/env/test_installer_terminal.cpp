// Issue 18: on a terminal, pip's and uv's own progress. The installer runs on a
// pseudo-terminal and what it draws reaches the user's terminal as drawn; the
// log keeps plain lines. Off a terminal nothing changes: a line per package.
#include "core/subprocess.hpp"
#include "env/env_fixture.hpp"
#include "env/installer.hpp"
#include "env/uv_tool.hpp"
#include "support/text.hpp"

using namespace gpuhost;
using namespace gpuhost::test;
using test::contains;

namespace {

// gpuhost run under a pseudo-terminal of its own (Python's pty module), its terminal output returned.
ProcessResult run_on_terminal(const std::vector<std::string> &args, const TempDir &home,
                              std::map<std::string, std::string> extra) {
    const char *spawn = R"(
import os, pty, sys
out = bytearray()
def read(fd):
    data = os.read(fd, 65536)
    out.extend(data)
    return data
status = pty.spawn(sys.argv[1:], read)
sys.stdout.buffer.write(bytes(out))
sys.exit(os.waitstatus_to_exitcode(status))
)";
    std::vector<std::string> argv = {"-c", spawn, GPUHOST_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions options;
    options.timeout = std::chrono::seconds(300);
    gpuhost_environment(home, args, std::move(extra)).apply_to(options);
    options.env_set["TERM"] = "xterm";
    return run_process("python3", argv, options);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(installer_terminal)

BOOST_AUTO_TEST_CASE(a_child_on_a_terminal_sees_one_and_its_output_comes_raw) {
    const char *probe = "import sys; print(sys.stdout.isatty(), sys.stderr.isatty()); sys.stdout.write('a\\rb\\n')";
    ProcessOptions o;
    o.terminal = true;
    std::string raw;
    std::vector<std::string> lines;
    o.on_raw = [&](const std::string &chunk) { raw += chunk; };
    o.on_line = [&](const std::string &line) { lines.push_back(line); };
    auto r = run_process("python3", {"-c", probe}, o);
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(contains(r.output, "True True"), r.output);
    BOOST_TEST(raw == r.output);
    BOOST_REQUIRE(lines.size() >= 2u);
    BOOST_TEST(env::plain_text(lines[1]) == "b");  // "a\rb\r": what the terminal shows last
    ProcessOptions plain;
    auto p = run_process("python3", {"-c", probe}, plain);
    BOOST_TEST(contains(p.output, "False False"), p.output);
}

BOOST_AUTO_TEST_CASE(plain_text_is_what_a_terminal_shows_last) {
    BOOST_TEST(env::plain_text("\x1b[2mResolved \x1b[1m1 package\x1b[0m in 1ms") == "Resolved 1 package in 1ms");
    BOOST_TEST(env::plain_text("\x1b[2K 10%\r\x1b[2K 100%\r") == " 100%");
    BOOST_TEST(env::plain_text("\x1b]8;;http://x\x1b\\link\x1b]8;;\x07 text") == "link text");
    BOOST_TEST(env::plain_text("no escapes") == "no escapes");
}

// The whole run on a terminal: uv's own spinner and wheel bar reach the user; the log has plain lines.
BOOST_AUTO_TEST_CASE(run_on_a_terminal_shows_the_installers_own_progress, *boost::unit_test::precondition(have_uv())) {
    WheelServer server{{"six==1.16.0"}};
    TempDir home, work;
    fs::path env = work / "env";
    fs::path plan = write_plan(work, make_plan(server.url(), {"six==1.16.0"}));
    std::string path = fs::path(find_or_install_uv()).parent_path().string() + ":" + std::getenv("PATH");
    std::map<std::string, std::string> extra = {{"PATH", path}, {"UV_CACHE_DIR", (work / "uv-cache").string()}};
    auto r = run_on_terminal({"run", "--plan", plan.string(), "--env", env.string(), "--installer", "uv"}, home, extra);
    BOOST_TEST(r.exit_code == 0, r.output + r.error_output);
    BOOST_TEST(contains(r.output, "Installing wheels"), r.output);  // uv draws this only on a terminal
    BOOST_TEST(contains(r.output, "[1/1]"), r.output);
    std::string log;
    for (const auto &e : fs::directory_iterator(env / "gpuhost-logs"))
        if (e.path().filename().string().find("-install") != std::string::npos) log += read_text(e.path()).value_or("");
    BOOST_TEST(contains(log, "+ six==1.16.0"), log);
    BOOST_TEST(!contains(log, "\x1b["), log);
    // Off a terminal: uv's lines as lines, without its bar.
    fs::path again = work / "env2";
    auto off = run_cli({"run", "--plan", plan.string(), "--env", again.string(), "--installer", "uv"}, home, extra);
    BOOST_TEST(off.exit_code == 0, off.error_output);
    BOOST_TEST(!contains(off.error_output, "Installing wheels"), off.error_output);
    BOOST_TEST(contains(off.error_output, "+ six==1.16.0"), off.error_output);
}

BOOST_AUTO_TEST_SUITE_END()
