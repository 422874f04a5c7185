// What `run` leaves a person with: the plan's variables in a real venv (for a
// shell that activates it, for ENV/bin/python alone, and gone after
// deactivate), the activate line for their shell, and colour only where wanted.
#include "cli/terminal.hpp"
#include "core/subprocess.hpp"
#include "env/activation.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>

namespace fs = std::filesystem;
using namespace gpuhost;
using test::contains;

namespace {

ProcessResult sh(const std::string &script) {
    ProcessOptions o;
    o.timeout = std::chrono::seconds(60);
    return run_process("/bin/bash", {"-c", script}, o);
}

fs::path site_packages_of(const fs::path &env) {
    for (const auto &e : fs::directory_iterator(env / "lib"))
        if (fs::exists(e.path() / "site-packages")) return e.path() / "site-packages";
    return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(plan_variables_reach_shells_and_bare_python_and_leave_with_deactivate) {
    test::TempDir dir;
    fs::path venv = dir / "venv";
    auto made = run_process("/usr/bin/python3", {"-m", "venv", "--without-pip", venv.string()}, {});
    BOOST_REQUIRE_MESSAGE(made.ok(), made.describe() + made.error_output);
    std::map<std::string, std::string> vars = {{"HSA_OVERRIDE_GFX_VERSION", "10.3.0"}, {"GPUHOST_TEST_QUOTE", "it's \"x\""}};
    BOOST_REQUIRE(env::write_activation_env(venv, vars));
    BOOST_REQUIRE(env::write_activation_env(venv, vars));  // twice: one hook, one block
    env::write_python_env(site_packages_of(venv), vars);
    std::string activate = test::read(venv / "bin" / "activate");
    BOOST_TEST(activate.find("# gpuhost\n") == activate.rfind("# gpuhost\n"), "the deactivate hook is added once");

    // A shell that had its own value gets it back after deactivate; one that had none loses it.
    auto shell = sh("export HSA_OVERRIDE_GFX_VERSION=mine; unset GPUHOST_TEST_QUOTE; . '" + (venv / "bin/activate").string() +
                    "'; echo \"in=$HSA_OVERRIDE_GFX_VERSION|$GPUHOST_TEST_QUOTE\"; deactivate;"
                    " echo \"out=$HSA_OVERRIDE_GFX_VERSION|${GPUHOST_TEST_QUOTE-unset}\"");
    BOOST_TEST(shell.ok(), shell.error_output);
    BOOST_TEST(contains(shell.output, "in=10.3.0|it's \"x\""), shell.output);
    BOOST_TEST(contains(shell.output, "out=mine|unset"), shell.output);

    // ENV/bin/python started directly (an IDE, a Jupyter kernel) gets them too.
    auto bare = sh("unset HSA_OVERRIDE_GFX_VERSION GPUHOST_TEST_QUOTE; '" + (venv / "bin/python").string() +
                   "' -c 'import os; print(os.environ[\"HSA_OVERRIDE_GFX_VERSION\"] + \"|\" + os.environ[\"GPUHOST_TEST_QUOTE\"])'");
    BOOST_TEST(bare.ok(), bare.error_output);
    BOOST_TEST(contains(bare.output, "10.3.0|it's \"x\""), bare.output);

    // An empty plan takes them away again.
    BOOST_REQUIRE(env::write_activation_env(venv, {}));
    env::write_python_env(site_packages_of(venv), {});
    BOOST_TEST(!fs::exists(site_packages_of(venv) / "gpuhost_env.pth"));
    auto cleared = sh("unset HSA_OVERRIDE_GFX_VERSION; . '" + (venv / "bin/activate").string() +
                      "'; echo \"in=${HSA_OVERRIDE_GFX_VERSION-unset}\"; deactivate");
    BOOST_TEST(contains(cleared.output, "in=unset"), cleared.output + cleared.error_output);
}

BOOST_AUTO_TEST_CASE(activate_line_fits_the_shell) {
    fs::path env = "/home/u/envs/nlp";
    BOOST_TEST(cli::activate_line(env, "/bin/bash") == ". /home/u/envs/nlp/bin/activate");
    BOOST_TEST(cli::activate_line(env, "/usr/bin/zsh") == ". /home/u/envs/nlp/bin/activate");
    BOOST_TEST(cli::activate_line(env, "/usr/bin/fish") == "source /home/u/envs/nlp/bin/activate.fish");
    BOOST_TEST(cli::activate_line(env, "/bin/tcsh") == "source /home/u/envs/nlp/bin/activate.csh");
    BOOST_TEST(cli::activate_line(env, "") == ". /home/u/envs/nlp/bin/activate");
    BOOST_TEST(cli::activate_line("/tmp/my env", "/bin/bash") == ". '/tmp/my env/bin/activate'");
}

BOOST_AUTO_TEST_CASE(colour_only_on_a_terminal_and_never_with_no_color) {
    BOOST_TEST(cli::colour_wanted(true, nullptr, "xterm-256color"));
    BOOST_TEST(!cli::colour_wanted(false, nullptr, "xterm"));
    BOOST_TEST(!cli::colour_wanted(true, "", "xterm"));  // NO_COLOR set, even empty
    BOOST_TEST(!cli::colour_wanted(true, "1", "xterm"));
    BOOST_TEST(!cli::colour_wanted(true, nullptr, "dumb"));
    BOOST_TEST(cli::painted_stage("verify: failed - x", false) == "verify: failed - x");
    BOOST_TEST(cli::painted_stage("verify: failed - x", true) == "verify: \033[31mfailed\033[0m - x");
    BOOST_TEST(cli::painted_stage("python: ok", true) == "python: \033[32mok\033[0m");
}
