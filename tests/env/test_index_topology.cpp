// Issue 11: the main job against indexes shaped like the real ones. Two loopback
// servers (two_indexes.py): a "PyPI" with everything but the GPU builds (and, as
// a dependency-confusion trap, higher-versioned torch-family wheels without a
// label), and a "PyTorch" index with whl/<tag>/ folders holding only torch-family
// wheels with their +<tag> labels and the Triton builds they pin. Every profile is
// planned on recorded CUDA, ROCm, Intel, Apple and CPU machines, resolved, created
// and installed (gpuhost run --no-verify: these wheels are names and versions, not
// frameworks that compute; real computation is tested by env_pypi and run_profile).
#include "cli/cli_support.hpp"
#include "env/dist_metadata.hpp"
#include "env/env_fixture.hpp"
#include "env/requirements.hpp"
#include "env/uv_tool.hpp"

#include <set>

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

std::string script() { return std::string(GPUHOST_SOURCE_DIR) + "/tests/env/two_indexes.py"; }
std::string machine(const std::string &name) { return std::string(GPUHOST_SOURCE_DIR) + "/tests/fixtures/machines/" + name; }
bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

const std::vector<std::string> kProfiles = {"computer_vision", "deep_learning", "learning",  "lightweight", "nlp",
                                            "production",      "reinforcement_learning",    "research",    "vector_search"};
// One recorded machine per vendor ("" = this machine with only its CPU plugin: a CPU-only machine).
// The Arc A770 recording has no Level Zero of its own: the fake loader answers at the driver boundary.
const std::vector<std::string> kMachines = {"nvidia-h200", "amd-rdna3-discrete", "intel-arc-a770-clinfo",
                                            "apple-m-series", ""};
std::map<std::string, std::string> machine_variables(const std::string &name) {
    if (name.rfind("intel-", 0) == 0)
        return {{"GPUHOST_LEVEL_ZERO_LIBRARY", std::string(GPUHOST_FAKE_LEVEL_ZERO_DIR) + "/libfake_ze_a770.so"}};
    return {};
}

class Index {
public:
    explicit Index(const fs::path &root) : root_(root) {
        fs::create_directories(root);
        server_ = std::make_unique<BackgroundProcess>(
            std::vector<std::string>{"python3", script(), "serve", root.string(), (root.string() + ".port")});
        for (int i = 0; i < 200 && !fs::exists(root.string() + ".port"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        auto port = read_text(root.string() + ".port");
        BOOST_REQUIRE_MESSAGE(port, "the index server for " + root.string() + " did not start");
        base_ = "http://127.0.0.1:" + *port;
    }
    const std::string &base() const { return base_; }

private:
    fs::path root_;
    std::unique_ptr<BackgroundProcess> server_;
    std::string base_;
};

struct TwoIndexes {
    TempDir root, home, work;
    Index pypi{root / "pypi"}, pytorch{root / "pytorch"};
    std::string pypi_url = pypi.base() + "/simple";
    std::string pytorch_url = pytorch.base() + "/whl";

    std::map<std::string, std::string> settings(const std::string &installer = "uv") const {
        std::string path = fs::path(find_or_install_uv()).parent_path().string() + ":" + std::getenv("PATH");
        return {{"GPUHOST_INDEX_URL", pypi_url}, {"GPUHOST_PYTORCH_INDEX", pytorch_url}, {"PATH", path},
                {"UV_CACHE_DIR", (work / "uv-cache").string()}, {"PIP_CACHE_DIR", (work / "pip-cache").string()},
                {"GPUHOST_INSTALLER", installer}};
    }
    ProcessResult gpuhost(std::vector<std::string> args, const std::map<std::string, std::string> &extra = {}) {
        auto env = settings();
        for (const auto &[k, v] : extra) env[k] = v;
        return run_cli(args, home, env);
    }
    // `gpuhost plan PROFILE [--sysroot M] --json` written to a file.
    fs::path plan(const std::string &profile, const std::string &machine_name) {
        std::vector<std::string> args = {"plan", profile, "--json"};
        if (!machine_name.empty()) args.insert(args.end(), {"--sysroot", machine(machine_name)});
        auto r = gpuhost(args, machine_variables(machine_name));
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "plan " + profile + " on " + machine_name + ": " + r.error_output);
        std::string file = profile + "-" + (machine_name.empty() ? "cpu-only" : machine_name) + ".json";
        work.write(file, r.output);
        return work / file;
    }
    void fill(const std::vector<fs::path> &plans) {
        std::vector<std::string> args = {script(), "fill", root.path().string()};
        for (const auto &p : plans) args.push_back(p.string());
        ProcessOptions o;
        o.timeout = std::chrono::seconds(120);
        auto r = run_process("python3", args, o);
        BOOST_REQUIRE_MESSAGE(r.ok(), "filling the indexes failed: " + r.output + r.error_output);
    }
};

json::object read_plan(const fs::path &file) { return read_json_file(file).as_object(); }

std::vector<std::string> strings(const json::value &v) {
    std::vector<std::string> out;
    if (v.is_array())
        for (const auto &x : v.as_array()) out.emplace_back(x.as_string());
    return out;
}

// What the environment holds, by name.
std::map<std::string, std::string> installed(const fs::path &env) {
    std::map<std::string, std::string> out;
    for (const auto &d : env::read_distributions(env::find_site_packages(env))) out[d.name] = d.version;
    return out;
}

// The checks every installed plan must pass: the accelerator builds came from
// their index (label, no decoy), and only the no-deps steps asked that index.
void check_installed(const json::object &plan, const fs::path &env, const json::object &report,
                     const std::string &pytorch_url, const std::string &what) {
    auto have = installed(env);
    auto served = strings(plan.at("index_packages"));
    std::string label(plan.at("index_label").as_string());
    for (const auto &[name, version] : have) {
        BOOST_TEST(!has(version, "99.0"), what << ": " << name << " " << version << " is the decoy from the default index");
        bool family = name == "torch" || name == "torchvision" || name == "torchaudio";
        if (family && !label.empty() && std::find(served.begin(), served.end(), name) != served.end())
            BOOST_TEST(has(version, "+" + label), what << ": " << name << " " << version << " lacks +" << label);
    }
    for (const auto &p : report.at("processes").as_array()) {
        std::string line(p.as_string());
        bool install = has(line, " install ") && !has(line, "--dry-run");
        if (install && has(line, pytorch_url)) {
            BOOST_TEST(has(line, "--no-deps"), what << ": the accelerator index was asked with dependencies: " << line);
            BOOST_TEST(!has(line, "--extra-index-url"), what << ": " << line);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(index_topology, *boost::unit_test::precondition(have_uv()))

// Every profile on every recorded kind of machine: plan, resolve, create, install.
BOOST_FIXTURE_TEST_CASE(every_profile_installs_on_every_recorded_machine, TwoIndexes) {
    std::vector<std::pair<std::string, fs::path>> plans;
    for (const auto &m : kMachines)
        for (const auto &p : kProfiles) plans.emplace_back(p + " on " + (m.empty() ? "a CPU-only machine" : m), plan(p, m));
    std::vector<fs::path> files;
    for (const auto &[what, f] : plans) files.push_back(f);
    fill(files);
    std::set<std::string> backends;
    int routed = 0;
    for (const auto &[what, file] : plans) {
        auto plan = read_plan(file);
        backends.insert(std::string(plan.at("backend").as_string()));
        std::string index(plan.at("index_url").as_string());
        // The default index is never the accelerator one; an accelerator index is the mirror's.
        BOOST_TEST(std::string(plan.at("default_index_url").as_string()) == pypi_url);
        if (!index.empty()) {
            ++routed;
            BOOST_TEST(index.rfind(pytorch_url + "/", 0) == 0, what << ": " << index);
            for (const auto &pkg : strings(plan.at("packages"))) {
                std::string name = env::normalize_name(pkg.substr(0, pkg.find_first_of("=<>![~; ")));
                auto served = strings(plan.at("index_packages"));
                bool on_index = std::find(served.begin(), served.end(), name) != served.end();
                bool torch_family = name == "torch" || name == "torchvision" || name == "torchaudio";
                BOOST_TEST(on_index == torch_family, what << ": " << pkg << (on_index ? " is" : " is not")
                                                          << " routed to the accelerator index");
            }
        }
        fs::path env = work / "env";
        auto r = gpuhost({"run", "--plan", file.string(), "--env", env.string(), "--no-verify", "--json"});
        BOOST_TEST(r.exit_code == 0, what << ": " << r.error_output.substr(r.error_output.size() > 3000 ? r.error_output.size() - 3000 : 0));
        if (r.exit_code == 0) {
            auto report = parse_report(r);
            BOOST_TEST(str(report.at("resolution").at("status")) == "ok", what);
            check_installed(plan, env, report, pytorch_url, what);
        }
        fs::remove_all(env);
    }
    // The machines really covered the vendors (a replay that silently planned CPU everywhere would not).
    for (const char *b : {"cuda", "rocm", "xpu", "cpu"}) BOOST_TEST(backends.count(b) == 1u, "no plan used backend " << b);
    BOOST_TEST(routed >= 20, routed << " plans used an accelerator index");
}

// pip takes the same three steps: the ROCm build, its Triton companion (only on the PyTorch index), the rest.
BOOST_FIXTURE_TEST_CASE(pip_installs_torch_and_its_companion_from_the_accelerator_index_only, TwoIndexes) {
    auto file = plan("nlp", "amd-rdna3-discrete");
    fill({file});
    fs::path env = work / "env";
    auto r = gpuhost({"run", "--plan", file.string(), "--env", env.string(), "--no-verify", "--json"},
                     {{"GPUHOST_INSTALLER", "pip"}});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    auto have = installed(env);
    BOOST_TEST(have.count("pytorch-triton-rocm") == 1u);
    BOOST_TEST(have["pytorch-triton-rocm"] == "3.5.0");  // not PyPI's 99.0 decoy
    BOOST_TEST(have.count("filelock") == 1u);            // torch's dependency, from the default index
    check_installed(read_plan(file), env, report, pytorch_url, "pip nlp on ROCm");
    std::vector<std::string> steps;
    for (const auto &p : report.at("processes").as_array())
        if (has(std::string(p.as_string()), "pip install") && !has(std::string(p.as_string()), "--dry-run"))
            steps.emplace_back(p.as_string());
    BOOST_REQUIRE(steps.size() == 3u);
    BOOST_TEST(has(steps[0], "-- torch=="));
    BOOST_TEST(has(steps[1], "-- pytorch-triton-rocm==3.5.0"));
    BOOST_TEST(has(steps[2], "--index-url " + pypi_url));
    BOOST_TEST((has(steps[2], "torch==") && has(steps[2], "+rocm")), steps[2]);  // held at the installed build
}

// plan --check resolves without installing and prints where each package comes from.
BOOST_FIXTURE_TEST_CASE(plan_check_prints_exact_versions_and_their_index, TwoIndexes) {
    auto file = plan("nlp", "nvidia-h200");
    fill({file});
    auto r = gpuhost({"plan", "nlp", "--sysroot", machine("nvidia-h200"), "--check"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    std::string label(read_plan(file).at("index_label").as_string());
    BOOST_TEST(has(r.output, "torch=="), r.output);
    BOOST_TEST(has(r.output, "+" + label + "  (" + pytorch_url), r.output);
    BOOST_TEST(has(r.output, "transformers==1.0.0  (" + pypi_url + ")"), r.output);
    BOOST_TEST(has(r.output, "filelock==3.20.0  (" + pypi_url + ")"), r.output);
}

// A pin the accelerator index does not have: the run stops before the folder exists, naming both.
BOOST_FIXTURE_TEST_CASE(a_missing_build_fails_before_anything_is_made, TwoIndexes) {
    auto file = plan("nlp", "nvidia-h200");
    fill({file});
    auto plan = read_plan(file);
    json::array packages;
    for (const auto &p : strings(plan.at("packages"))) packages.emplace_back(p.rfind("torch==", 0) == 0 ? "torch==0.0.1" : p);
    plan["packages"] = packages;
    work.write("bad.json", json::serialize(plan));
    fs::path env = work / "never";
    auto r = gpuhost({"run", "--plan", (work / "bad.json").string(), "--env", env.string(), "--no-verify"});
    BOOST_TEST(r.exit_code == int(cli::kBadInput), r.describe() + "\n" + r.error_output);
    BOOST_TEST(has(r.error_output, "torch==0.0.1"), r.error_output);
    BOOST_TEST(has(r.error_output, std::string(plan.at("index_url").as_string())), r.error_output);
    BOOST_TEST(!fs::exists(env), "the run made " << env << " although the plan could not be resolved");
}

// An index that answers 404 everywhere, and one that answers garbage: a clear error, nothing on disk.
BOOST_FIXTURE_TEST_CASE(an_index_that_answers_404_or_garbage_fails_before_anything_is_made, TwoIndexes) {
    auto file = plan("nlp", "nvidia-h200");
    fill({file});
    fs::path garbage = root / "pytorch" / "garbage";
    auto plan = read_plan(file);
    std::string tag = std::string(plan.at("index_url").as_string()).substr(pytorch_url.size() + 1);
    fs::create_directories(garbage / tag / "torch");
    std::ofstream(garbage / tag / "torch" / "index.html") << "\x01\x02<html><a href=\"%%%\">torch-</a>{\"meta\": ";
    for (const std::string &mirror : {pytorch.base() + "/nothing-here", pytorch.base() + "/garbage"}) {
        fs::path env = work / "never";
        auto planned = gpuhost({"plan", "nlp", "--sysroot", machine("nvidia-h200"), "--json"}, {{"GPUHOST_PYTORCH_INDEX", mirror}});
        BOOST_REQUIRE(planned.exit_code == 0);
        work.write("mirror.json", planned.output);
        auto r = gpuhost({"run", "--plan", (work / "mirror.json").string(), "--env", env.string(), "--no-verify"});
        BOOST_TEST(r.exit_code == int(cli::kBadInput), mirror << ": " << r.describe() << "\n" << r.error_output);
        BOOST_TEST(has(r.error_output, "torch=="), r.error_output);
        BOOST_TEST(has(r.error_output, mirror + "/" + tag), r.error_output);
        BOOST_TEST(!fs::exists(env), mirror << ": the run made " << env);
    }
}

// A profile whose packages exist nowhere: plan --check and run both say which, before anything.
BOOST_FIXTURE_TEST_CASE(a_profile_with_an_unknown_package_is_refused_by_check_and_run, TwoIndexes) {
    fill({plan("vector_search", "")});  // numpy, which the ghost's framework brings
    work.write("ghost.lua", "return { name = \"ghost\", framework = \"numpy\", packages = { \"no-such-project-gpuhost\" } }\n");
    auto check = gpuhost({"plan", (work / "ghost.lua").string(), "--check"});
    BOOST_TEST(check.exit_code == int(cli::kBadInput), check.describe() + "\n" + check.error_output);
    BOOST_TEST(has(check.error_output, "no-such-project-gpuhost"), check.error_output);
    BOOST_TEST(has(check.error_output, pypi_url), check.error_output);
    fs::path env = work / "never";
    auto run = gpuhost({"run", (work / "ghost.lua").string(), "--env", env.string(), "--no-verify"});
    BOOST_TEST(run.exit_code == int(cli::kBadInput), run.error_output);
    BOOST_TEST(!fs::exists(env));
}

// --format requirements writes a file that installs with plain pip: the labelled pins can only come
// from the accelerator index, everything else from the default one.
BOOST_FIXTURE_TEST_CASE(the_requirements_file_installs_with_plain_pip, TwoIndexes) {
    auto file = plan("nlp", "amd-rdna3-discrete");
    fill({file});
    auto r = gpuhost({"plan", "nlp", "--sysroot", machine("amd-rdna3-discrete"), "--format", "requirements"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(has(r.output, "--index-url " + pypi_url));
    BOOST_TEST(has(r.output, "--extra-index-url " + pytorch_url));
    BOOST_TEST(!has(r.output, "\ntransformers+"));
    work.write("requirements.txt", r.output);
    fs::path venv = work / "venv";
    ProcessOptions o;
    o.timeout = std::chrono::seconds(300);
    auto made = run_process("python3", {"-m", "venv", venv.string()}, o);
    BOOST_REQUIRE_MESSAGE(made.ok(), made.output + made.error_output);
    o.env_set = {{"PIP_CONFIG_FILE", "/dev/null"}, {"PIP_CACHE_DIR", (work / "pip-cache").string()}};
    o.env_unset = masked_variables();
    o.merge_stderr = true;
    auto pip = run_process((venv / "bin" / "python").string(),
                           {"-m", "pip", "install", "--disable-pip-version-check", "-r", (work / "requirements.txt").string()}, o);
    BOOST_REQUIRE_MESSAGE(pip.ok(), pip.output);
    auto have = installed(venv);
    BOOST_TEST(has(have["torch"], "+rocm"), have["torch"]);
    BOOST_TEST(have.count("transformers") == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
