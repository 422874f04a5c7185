// Runs the real gpuhost binary as a user would, with a controlled environment.
#pragma once
#include "core/subprocess.hpp"
#include "support/hermetic_env.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <map>
#include <string>
#include <vector>

namespace gpuhost::test {

namespace detail {

inline ProcessResult run_gpuhost_with(const std::vector<std::string> &args, const ChildEnvironment &environment,
                                      const std::string &working_dir) {
    ProcessOptions options;
    options.timeout = std::chrono::seconds(120);
    environment.apply_to(options);
    if (!working_dir.empty()) options.working_dir = working_dir;
    return run_process(GPUHOST_BINARY, args, options);
}

// XDG_CONFIG_HOME, XDG_CACHE_HOME and XDG_STATE_HOME point into a fresh folder for
// the call unless the test sets them: no settings, cache or quarantine carry
// over from one call to the next unless the test wants them to.
inline std::map<std::string, std::string> with_fresh_xdg(const TempDir &xdg, std::map<std::string, std::string> env) {
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        env.emplace(var, (xdg / var).string());
    return env;
}

}  // namespace detail

// A unit or replay test's gpuhost: none of this machine's devices or settings
// (support/hermetic_env.hpp), only what `env` sets.
inline ProcessResult run_gpuhost(const std::vector<std::string> &args,
                                 std::map<std::string, std::string> env = {}, const std::string &working_dir = {}) {
    TempDir xdg;
    return detail::run_gpuhost_with(args, hermetic_gpuhost_environment(args, detail::with_fresh_xdg(xdg, std::move(env))),
                                     working_dir);
}

// A live test's gpuhost: every real plugin on this machine's devices, as the
// machine's own tools see them; none of the user's settings. The probes get a
// minute rather than 5 s unless the test says otherwise: a loaded CI machine can
// take longer to start PoCL's or llvmpipe's LLVM, and a live test compares
// devices, not speed.
inline ProcessResult run_gpuhost_live(const std::vector<std::string> &args,
                                      std::map<std::string, std::string> env = {}, const std::string &working_dir = {}) {
    env.emplace("GPUHOST_PROBE_TIMEOUT_MS", "60000");
    TempDir xdg;
    return detail::run_gpuhost_with(args, live_gpuhost_environment(detail::with_fresh_xdg(xdg, std::move(env))),
                                    working_dir);
}

// `gpuhost plan PROFILE --json` plus `where` (--sysroot M, --inventory F) as a
// replay test runs it (no user data folder), parsed; a non-zero exit fails the test.
inline boost::json::object plan_json(const std::string &profile, const std::vector<std::string> &where) {
    std::vector<std::string> args = {"plan", profile, "--json"};
    args.insert(args.end(), where.begin(), where.end());
    auto r = run_gpuhost(args, {{"XDG_DATA_HOME", "/nonexistent-gpuhost-data"}});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, profile << ": " << r.error_output);
    return boost::json::parse(r.output).as_object();
}

}  // namespace gpuhost::test
