// The version logic that lets `gpuhost run` skip pip on an up-to-date
// environment: wrong answers here would mean a reuse that should be a repair.
#include "env/decision.hpp"
#include "env/env_state.hpp"
#include "env/requirements.hpp"
#include "env/verify.hpp"
#include "support/temp_dir.hpp"

#include "env/activation.hpp"
#include "core/files.hpp"
#include "core/subprocess.hpp"
#include "support/temp_dir.hpp"
#include <boost/test/unit_test.hpp>
#include <fstream>

using namespace gpuhost;
using namespace gpuhost::env;
namespace fs = std::filesystem;

namespace gpuhost::env {
static std::ostream &operator<<(std::ostream &o, Satisfied s) {
    return o << (s == Satisfied::yes ? "yes" : s == Satisfied::no ? "no" : "unsure");
}
}  // namespace gpuhost::env

static Satisfied sat(const std::string &installed, const std::string &spec) {
    return satisfies(installed, parse_requirement(spec));
}

BOOST_AUTO_TEST_CASE(names_normalize_like_pep_503) {
    BOOST_TEST(normalize_name("Foo_Bar.baz") == "foo-bar-baz");
    BOOST_TEST(normalize_name("nvidia-cuda-runtime-cu12") == "nvidia-cuda-runtime-cu12");
    auto r = parse_requirement("Torch[cuda] >= 2.6, <2.9 ; python_version >= '3.9'");
    BOOST_TEST(r.name == "torch");
    BOOST_TEST(r.clauses.size() == 2u);
    BOOST_TEST(r.has_marker);
    BOOST_CHECK_THROW(parse_requirement(">=1.0"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_requirement("numpy >= "), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(versions_order_like_pep_440) {
    BOOST_TEST(compare_versions("1.10", "1.9") > 0);
    BOOST_TEST(compare_versions("2.0", "2.0.0") == 0);
    BOOST_TEST(compare_versions("2.0rc1", "2.0") < 0);
    BOOST_TEST(compare_versions("2.0a2", "2.0b1") < 0);
    BOOST_TEST(compare_versions("2.0.dev1", "2.0a1") < 0);
    BOOST_TEST(compare_versions("2.0.post1", "2.0") > 0);
    BOOST_TEST(compare_versions("1!0.1", "9.9") > 0);
    BOOST_TEST(local_label("2.7.0+cu128") == "cu128");
}

BOOST_AUTO_TEST_CASE(specifiers_ignore_local_labels_unless_they_name_one) {
    BOOST_TEST(sat("2.7.0+cu128", "torch==2.7.0") == Satisfied::yes);
    BOOST_TEST(sat("2.7.0+cu128", "torch==2.7.0+cu128") == Satisfied::yes);
    BOOST_TEST(sat("2.7.0+cpu", "torch==2.7.0+cu128") == Satisfied::no);
    BOOST_TEST(sat("2.6.0", "torch==2.7.0") == Satisfied::no);
    BOOST_TEST(sat("1.26.4", "numpy>=1.26,<2") == Satisfied::yes);
    BOOST_TEST(sat("2.1.0", "numpy>=1.26,<2") == Satisfied::no);
    BOOST_TEST(sat("2.7.1", "torch==2.7.*") == Satisfied::yes);
    BOOST_TEST(sat("2.8.0", "torch==2.7.*") == Satisfied::no);
    BOOST_TEST(sat("1.4.5", "x~=1.4.2") == Satisfied::yes);
    BOOST_TEST(sat("1.5.0", "x~=1.4.2") == Satisfied::no);
    BOOST_TEST(sat("1.0", "x!=1.0") == Satisfied::no);
    BOOST_TEST(sat("3.0", "x") == Satisfied::yes);
    // Cases the installer must judge:
    BOOST_TEST(sat("2.0rc1", "x>=1.0") == Satisfied::unsure);
    BOOST_TEST(sat("1.0", "x @ https://example.org/x.whl") == Satisfied::unsure);
    BOOST_TEST(sat("weird-version", "x>=1") == Satisfied::unsure);
}

BOOST_AUTO_TEST_CASE(numbers_too_long_for_a_long_are_unsure_not_a_crash) {
    const std::string huge = "123456789012345678901234567890";  // 30 digits
    BOOST_TEST(sat(huge, "x>=1") == Satisfied::unsure);
    BOOST_TEST(sat("1.0", "x>=" + huge) == Satisfied::unsure);
    BOOST_TEST(sat("1." + huge + ".post1", "x>=1") == Satisfied::unsure);
    BOOST_TEST(sat(huge + "!1.0", "x>=1") == Satisfied::unsure);
    BOOST_TEST(sat("1.0rc" + huge, "x>=1") == Satisfied::unsure);
}

BOOST_AUTO_TEST_CASE(torch_builds_must_match_the_accelerator) {
    Plan p;
    p.accelerator = "cu128";
    BOOST_TEST(torch_build_problem(p, "2.7.0+cu128").empty());
    BOOST_TEST(torch_build_problem(p, "2.7.0+cpu") == "torch 2.7.0+cpu is the CPU build on a cu128 plan");
    BOOST_TEST(!torch_build_problem(p, "2.7.0+rocm6.3").empty());
    BOOST_TEST(torch_build_problem(p, "2.7.0").empty());  // PyPI's CUDA build carries no label
    p.accelerator = "rocm6.4";
    BOOST_TEST(!torch_build_problem(p, "2.7.0").empty());
    p.accelerator = "cpu";
    BOOST_TEST(torch_build_problem(p, "2.7.0+cpu").empty());
    BOOST_TEST(!torch_build_problem(p, "2.7.0+cu128").empty());
}

BOOST_AUTO_TEST_CASE(site_packages_listing_gives_installed_versions) {
    test::TempDir dir;
    for (const char *d : {"numpy-1.26.4.dist-info", "torch-2.7.0+cu128.dist-info", "Foo_Bar-0.1.dist-info",
                          "legacy-1.0-py3.11.egg-info", "numpy"})
        fs::create_directories(dir / d);
    auto found = scan_installed(dir.path());
    BOOST_TEST(found.size() == 4u);
    BOOST_TEST(found["numpy"] == "1.26.4");
    BOOST_TEST(found["torch"] == "2.7.0+cu128");
    BOOST_TEST(found["foo-bar"] == "0.1");
    BOOST_TEST(found["legacy"] == "1.0");
}

BOOST_AUTO_TEST_CASE(state_round_trips_and_rejects_what_is_broken) {
    EnvState s;
    s.profile = "p";
    s.profile_env_version = 3;
    s.backend = "cuda";
    s.packages["torch"] = "2.7.0+cu128";
    s.last_run_status = "ok";
    s.last_failure = nullptr;
    auto back = EnvState::from_json(s.to_json());
    BOOST_TEST(back.profile_env_version == 3);
    BOOST_TEST(back.packages["torch"] == "2.7.0+cu128");
    auto broken = s.to_json();
    broken["packages"] = boost::json::object{{"torch", 2}};
    BOOST_CHECK_THROW(EnvState::from_json(broken), std::runtime_error);
    broken = s.to_json();
    broken["schema"] = 99;
    BOOST_CHECK_THROW(EnvState::from_json(broken), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(verifying_an_environment_without_lib_reports_instead_of_throwing) {
    test::TempDir env;  // no lib/ folder: a broken or half-made environment
    Plan plan;
    plan.packages = {"torch==2.7.0"};
    ProcessLog log;
    Verification v = verify_environment(log, env.path(), plan, nullptr, nullptr);
    BOOST_TEST(v.torch_problem.empty());
    BOOST_TEST(v.smoke_status == "skipped");
    BOOST_TEST(v.status == "unverified");
}

BOOST_AUTO_TEST_CASE(activation_block_is_replaced_quoted_and_removed) {
    gpuhost::test::TempDir env;
    std::string original = "# venv's own activate\nexport VIRTUAL_ENV=/x\n";
    env.write("bin/activate", original);
    BOOST_TEST(gpuhost::env::write_activation_env(env.path(), {{"A", "it's $HOME"}, {"B", "2"}}));
    gpuhost::env::write_activation_env(env.path(), {{"A", "second"}});  // replaces, never stacks
    auto text = gpuhost::read_text(env / "bin/activate").value_or("");
    BOOST_TEST(text.find("export A='second'") != std::string::npos, text);
    BOOST_TEST(text.find("export B=") == std::string::npos, text);
    gpuhost::env::write_activation_env(env.path(), {{"Q", "it's $HOME"}});
    auto shell = gpuhost::run_process("bash", {"-c", "source \"$1\" && printf %s \"$Q\"", "bash", (env / "bin/activate").string()});
    BOOST_TEST(shell.output == "it's $HOME");  // single-quoted: nothing expands
    gpuhost::env::write_activation_env(env.path(), {});
    BOOST_TEST(gpuhost::read_text(env / "bin/activate").value_or("") == original);
    BOOST_TEST(!gpuhost::env::write_activation_env(env / "missing", {{"A", "1"}}));
}
