// environment_state.json: what gpuhost made, for whom, and how its last run
// ended. Written atomically; a run marks itself "in-progress" before it
// changes anything, so a run killed halfway is seen by the next one.
#pragma once
#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::env {

inline constexpr int kStateSchema = 1;
inline constexpr const char *kStateFileName = "environment_state.json";

struct EnvState {
    std::string profile;
    int profile_env_version = 0;
    std::string tables_version;
    std::string gpuhost_version;
    std::string backend, accelerator;
    std::string device_id, device_name;
    std::string created_at, updated_at;
    std::string python_version;     // "3.11.7"
    std::string python_executable;  // ENV/bin/python
    std::string python_base;        // the interpreter it was made from
    std::string installer;          // uv | pip
    std::vector<std::string> requested;             // the plan's specs at the last install
    std::map<std::string, std::string> packages;    // normalized name -> installed version (requested ones)
    boost::json::object verification;               // {"status": "passed"|..., "at", "kernel", "smoke_test", ...}
    // "ok" | "in-progress" | "failed" | "interrupted"
    std::string last_run_status;
    std::string last_run_decision;
    std::string last_run_at;
    boost::json::value last_failure;  // null or {"stage","message","diagnosis","log","at"}
    // Variables that applied recovery fixes set (CUDA_HOME=...): later runs of
    // the same build keep them, and they go into the environment's activation.
    std::map<std::string, std::string> fix_env;

    boost::json::object to_json() const;
    static EnvState from_json(const boost::json::object &o);  // throws std::runtime_error naming the field
};

std::filesystem::path state_path(const std::filesystem::path &env);

struct LoadedState {
    enum class Kind { missing, corrupt, ok } kind = Kind::missing;
    EnvState state;
    std::string error;  // for corrupt: what is wrong
};
LoadedState load_state(const std::filesystem::path &env);
void save_state(const std::filesystem::path &env, const EnvState &state);

// ISO 8601 UTC, seconds: "2026-11-24T01:50:00Z"
std::string utc_now();
// For file names: "20261124T015000Z"
std::string utc_stamp();

}  // namespace gpuhost::env
