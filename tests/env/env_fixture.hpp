// What the environment tests share: a loopback PEP 503 index over tiny wheels
// built by wheel_index.py, plans written as JSON, and gpuhost started with pip's
// user settings and this machine's devices masked so every run is hermetic.
#pragma once
#include "support/background_process.hpp"
#include "core/files.hpp"
#include "core/subprocess.hpp"
#include "support/hermetic_env.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

namespace gpuhost::test {

namespace fs = std::filesystem;
namespace json = boost::json;

inline std::string wheel_index_script() { return std::string(GPUHOST_SOURCE_DIR) + "/tests/env/wheel_index.py"; }

// This machine's variables that no run may inherit: the user's gpuhost, pip and
// uv settings (another index, another environment), its devices' variables
// (support/hermetic_env.hpp).
inline std::vector<std::string> masked_variables() { return machine_variables_set(); }
// pip's and uv's own configuration files, and gpuhost's settings and environments, under `home`.
inline std::map<std::string, std::string> hermetic_variables(const fs::path &home) {
    return {{"PIP_CONFIG_FILE", "/dev/null"}, {"UV_NO_CONFIG", "1"}, {"XDG_CONFIG_HOME", (home / "config").string()},
            {"XDG_DATA_HOME", (home / "data").string()}};
}
// What a gpuhost started by an environment test gets: the hermetic child
// environment (only the cpu plugin of this machine), the variables above, then `extra`.
inline ChildEnvironment gpuhost_environment(const TempDir &home, const std::vector<std::string> &args,
                                            std::map<std::string, std::string> extra = {}) {
    for (const auto &[k, v] : hermetic_variables(home.path())) extra.emplace(k, v);
    return hermetic_gpuhost_environment(args, extra);
}

// "3.11": the minor version of python3 on PATH, so plans ask for a Python that exists.
inline std::string python3_minor() {
    auto r = run_process("python3", {"-c", "import sys; print('%d.%d' % sys.version_info[:2])"});
    BOOST_REQUIRE_MESSAGE(r.ok(), "python3 is needed for the environment tests");
    std::string v = r.output;
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
    return v;
}

class WheelServer {
public:
    explicit WheelServer(const std::vector<std::string> &wheels, const std::string &stall = {}) {
        std::vector<std::string> build = {"python3", wheel_index_script(), "build", dir_.path().string()};
        build.insert(build.end(), wheels.begin(), wheels.end());
        auto r = run_process(build[0], {build.begin() + 1, build.end()});
        BOOST_REQUIRE_MESSAGE(r.ok(), "building test wheels failed: " + r.output + r.error_output);
        std::vector<std::string> serve = {"python3", wheel_index_script(), "serve", dir_.path().string(),
                                          (dir_ / "port").string()};
        if (!stall.empty()) serve.insert(serve.end(), {"--stall", stall});
        server_ = std::make_unique<BackgroundProcess>(serve);
        for (int i = 0; i < 200 && !fs::exists(dir_ / "port"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        auto port = read_text(dir_ / "port");
        BOOST_REQUIRE_MESSAGE(port, "the wheel server did not start");
        url_ = "http://127.0.0.1:" + *port + "/simple/";
    }
    const std::string &url() const { return url_; }
    fs::path wheels() const { return dir_ / "wheels"; }
    bool stalled() const { return fs::exists(dir_ / "stalled"); }

private:
    TempDir dir_;
    std::unique_ptr<BackgroundProcess> server_;
    std::string url_;
};

inline json::object make_plan(const std::string &index_url, const std::vector<std::string> &packages,
                              const std::string &backend = "cpu", const std::string &accelerator = "cpu") {
    json::array pk;
    for (const auto &p : packages) pk.emplace_back(p);
    std::string py = python3_minor();
    return {{"profile", "test"},
            {"device", backend + ":0"},
            {"backend", backend},
            {"accelerator", accelerator},
            {"python", json::object{{"min", py}, {"max", py}}},
            {"index_url", index_url},
            {"packages", pk},
            {"smoke_test", "import sys; print('smoke ok', sys.version_info[:2])"}};
}

inline fs::path write_plan(const TempDir &dir, const json::object &plan, const std::string &name = "plan.json") {
    dir.write(name, json::serialize(plan));
    return dir / name;
}

inline ProcessResult run_cli(const std::vector<std::string> &args, const TempDir &home,
                             std::map<std::string, std::string> extra = {}) {
    ProcessOptions options;
    options.timeout = std::chrono::seconds(300);
    gpuhost_environment(home, args, std::move(extra)).apply_to(options);
    return run_process(GPUHOST_BINARY, args, options);
}

inline json::object parse_report(const ProcessResult &r) {
    json::value v;
    try {
        v = json::parse(r.output);
    } catch (const std::exception &e) {
        BOOST_FAIL("gpuhost run --json printed no JSON: " + r.output + "\nstderr: " + r.error_output);
    }
    return v.as_object();
}

inline json::object state_of(const fs::path &env) {
    return read_json_file(env / "environment_state.json").as_object();
}

// What a run started to make, fill and check the environment: the report's
// processes without the resolver's (pip --dry-run, uv pip compile), which run first.
inline json::array work_processes(const json::object &report) {
    json::array out;
    for (const auto &p : report.at("processes").as_array()) {
        std::string line(p.as_string());
        if (line.find(" --dry-run ") == std::string::npos && line.find(" pip compile ") == std::string::npos &&
            line.find(" -m pip --version") == std::string::npos)
            out.push_back(p);
    }
    return out;
}

inline std::string str(const json::value &v) { return v.is_string() ? std::string(v.as_string()) : json::serialize(v); }

inline size_t count_logs(const fs::path &env) {
    size_t n = 0;
    std::error_code ec;
    for (fs::directory_iterator it(env / "gpuhost-logs", ec), end; !ec && it != end; it.increment(ec)) ++n;
    return n;
}

}  // namespace gpuhost::test
