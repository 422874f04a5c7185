// The plan's variables in a real venv's fish, csh and PowerShell activation
// scripts (bash: cli/test_run_output.cpp): sourced by the real shell, they
// are set and exported, a second activation does not lose the user's own
// value, deactivate gives it back, and an empty plan leaves the scripts as
// venv wrote them. A shell that is not installed skips its case and says so.
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

struct on_path {
    std::string tool;
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
        auto r = run_process("/bin/sh", {"-c", "command -v \"$1\"", "sh", tool}, {});
        boost::test_tools::assertion_result ok(r.ok());
        ok.message() << tool << " is not installed here (tools/install-deps.sh installs fish and tcsh): its case is skipped";
        return ok;
    }
};

ProcessResult run(const std::string &shell, const std::vector<std::string> &args) {
    ProcessOptions o;
    o.timeout = std::chrono::seconds(60);
    return run_process(shell, args, o);
}

// A venv as python3 -m venv writes it, with every activation script.
fs::path make_venv(const test::TempDir &dir) {
    fs::path venv = dir / "venv";
    auto made = run_process("/usr/bin/python3", {"-m", "venv", "--without-pip", venv.string()}, {});
    BOOST_REQUIRE_MESSAGE(made.ok(), made.describe() + made.error_output);
    return venv;
}

// A value each shell's quoting has to carry through unchanged.
const std::string kAwkward = "it's \"x\" $HOME \\n !x *";
const std::map<std::string, std::string> kVars = {{"HSA_OVERRIDE_GFX_VERSION", "10.3.0"}, {"GPUHOST_TEST_QUOTE", kAwkward}};

// Each variable as the shell's children see it (exported), or "unset".
std::string seen(const std::string &name) { return "printenv " + name + " || echo unset"; }

}  // namespace

BOOST_AUTO_TEST_CASE(fish_gets_the_variables_and_deactivate_restores, *boost::unit_test::precondition(on_path{"fish"})) {
    test::TempDir dir;
    fs::path venv = make_venv(dir);
    std::string original = test::read(venv / "bin/activate.fish");
    BOOST_REQUIRE(env::write_activation_env(venv, kVars));
    BOOST_REQUIRE(env::write_activation_env(venv, kVars));  // twice: one hook, one block
    std::string script = test::read(venv / "bin/activate.fish");
    BOOST_TEST(script.find("# gpuhost\n") == script.rfind("# gpuhost\n"), "the deactivate hook is added once");

    std::string act = (venv / "bin/activate.fish").string();
    // Sourced twice (as a user who activates again), then deactivated.
    auto r = run("fish", {"--no-config", "-c",
                          "set -gx HSA_OVERRIDE_GFX_VERSION mine; set -e GPUHOST_TEST_QUOTE; source $argv[1]; source $argv[1];"
                          " echo in:; " + seen("HSA_OVERRIDE_GFX_VERSION") + "; " + seen("GPUHOST_TEST_QUOTE") +
                          "; deactivate; echo out:; " + seen("HSA_OVERRIDE_GFX_VERSION") + "; " + seen("GPUHOST_TEST_QUOTE") +
                          "; functions -q _gpuhost_restore_env; and echo restore-left; or true",
                          act});
    BOOST_TEST(r.ok(), r.describe() + r.error_output);
    BOOST_TEST(r.output == "in:\n10.3.0\n" + kAwkward + "\nout:\nmine\nunset\n", r.output + r.error_output);

    BOOST_REQUIRE(env::write_activation_env(venv, {}));
    BOOST_TEST(test::read(venv / "bin/activate.fish") == original, "an empty plan leaves venv's own script");
}

BOOST_AUTO_TEST_CASE(csh_gets_the_variables_and_deactivate_restores, *boost::unit_test::precondition(on_path{"tcsh"})) {
    test::TempDir dir;
    fs::path venv = make_venv(dir);
    std::string original = test::read(venv / "bin/activate.csh");
    BOOST_REQUIRE(env::write_activation_env(venv, kVars));
    BOOST_REQUIRE(env::write_activation_env(venv, kVars));
    std::string script = test::read(venv / "bin/activate.csh");
    BOOST_TEST(script.find("_gpuhost_restore_env; ") == script.rfind("_gpuhost_restore_env; "), "the deactivate hook is added once");

    std::string act = (venv / "bin/activate.csh").string();
    // csh expands aliases when it reads a line, so deactivate (an alias the
    // script defines) gets a line of its own: a script file, as a user types it.
    auto csh = [&](const std::vector<std::string> &lines) {
        std::string text = "set prompt = '> '\n";  // venv's activate.csh reads $prompt, which a non-interactive csh lacks
        for (const auto &l : lines) text += l + "\n";
        dir.write("t.csh", text);
        return run("tcsh", {"-f", (dir / "t.csh").string()});
    };
    // A fresh shell first (the script's own `deactivate nondestructive` runs
    // before any gpuhost block has), then twice, then deactivate.
    auto r = csh({"setenv HSA_OVERRIDE_GFX_VERSION mine", "unsetenv GPUHOST_TEST_QUOTE", "source '" + act + "'",
                  "source '" + act + "'", "echo in:", seen("HSA_OVERRIDE_GFX_VERSION"), seen("GPUHOST_TEST_QUOTE"), "deactivate",
                  "echo out:", seen("HSA_OVERRIDE_GFX_VERSION"), seen("GPUHOST_TEST_QUOTE")});
    BOOST_TEST(r.ok(), r.describe() + r.error_output);
    BOOST_TEST(r.output == "in:\n10.3.0\n" + kAwkward + "\nout:\nmine\nunset\n", r.output + r.error_output);

    // A user who had no value gets none back; one gpuhost never set is left alone.
    r = csh({"unsetenv HSA_OVERRIDE_GFX_VERSION", "setenv OTHER keep", "source '" + act + "'", "deactivate",
             seen("HSA_OVERRIDE_GFX_VERSION"), seen("OTHER")});
    BOOST_TEST(r.output == "unset\nkeep\n", r.output + r.error_output);

    BOOST_REQUIRE(env::write_activation_env(venv, {}));
    BOOST_TEST(test::read(venv / "bin/activate.csh") == original, "an empty plan leaves venv's own script");
    r = csh({"source '" + act + "'", "deactivate", "echo fine"});
    BOOST_TEST(r.output == "fine\n", r.output + r.error_output);
}

BOOST_AUTO_TEST_CASE(powershell_script_gets_block_and_hook_before_its_signature) {
    test::TempDir dir;
    fs::path venv = make_venv(dir);
    fs::path ps1 = venv / "bin/Activate.ps1";
    BOOST_REQUIRE_MESSAGE(fs::exists(ps1), "this Python's venv writes no Activate.ps1");
    std::string original = test::read(ps1);
    BOOST_REQUIRE(env::write_activation_env(venv, kVars));
    BOOST_REQUIRE(env::write_activation_env(venv, kVars));
    std::string script = test::read(ps1);
    auto block = script.find("$env:GPUHOST_TEST_QUOTE = 'it''s \"x\" $HOME \\n !x *'");
    BOOST_TEST(block != std::string::npos, script);
    if (auto sig = script.find("# SIG # Begin signature block"); sig != std::string::npos) BOOST_TEST(block < sig);
    auto hook = script.find("_gpuhost_restore_env -NonDestructive:$NonDestructive }  # gpuhost\n");
    BOOST_TEST(hook != std::string::npos);
    BOOST_TEST(hook == script.rfind("_gpuhost_restore_env -NonDestructive:$NonDestructive }  # gpuhost\n"));
    BOOST_TEST(hook > script.find("function global:deactivate"));
    BOOST_REQUIRE(env::write_activation_env(venv, {}));
    BOOST_TEST(test::read(ps1) == original);
}

BOOST_AUTO_TEST_CASE(powershell_gets_the_variables_and_deactivate_restores, *boost::unit_test::precondition(on_path{"pwsh"})) {
    test::TempDir dir;
    fs::path venv = make_venv(dir);
    BOOST_REQUIRE(env::write_activation_env(venv, kVars));
    std::string act = (venv / "bin/Activate.ps1").string();
    auto r = run("pwsh", {"-NoProfile", "-NonInteractive", "-Command",
                          "$env:HSA_OVERRIDE_GFX_VERSION = 'mine'; Remove-Item env:GPUHOST_TEST_QUOTE -ErrorAction SilentlyContinue;"
                          " . '" + act + "'; . '" + act + "'; 'in:'; $env:HSA_OVERRIDE_GFX_VERSION; $env:GPUHOST_TEST_QUOTE;"
                          " deactivate; 'out:'; $env:HSA_OVERRIDE_GFX_VERSION; if (Test-Path env:GPUHOST_TEST_QUOTE) { 'set' } else { 'unset' }"});
    BOOST_TEST(r.ok(), r.describe() + r.error_output);
    BOOST_TEST(r.output == "in:\n10.3.0\n" + kAwkward + "\nout:\nmine\nunset\n", r.output + r.error_output);
}

// A value with a newline never reaches a script (the plan refuses it too).
BOOST_AUTO_TEST_CASE(a_newline_in_a_value_is_refused) {
    test::TempDir dir;
    fs::path venv = make_venv(dir);
    BOOST_CHECK_THROW(env::write_activation_env(venv, {{"A", "1\n2"}}), std::runtime_error);
}
