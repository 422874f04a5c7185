// Creating the virtual environment and installing into it with uv or pip.
// Every child process goes through one ProcessLog, so a run can show (and a
// test can assert) exactly which programs it started.
#pragma once
#include "../core/subprocess.hpp"
#include "../plan/plan.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gpuhost::env {

class ProcessLog {
public:
    ProcessResult run(const std::string &program, const std::vector<std::string> &args, const ProcessOptions &options);
    const std::vector<std::string> &started() const { return started_; }  // "program arg arg ..."
    boost::json::array to_json() const;

private:
    std::vector<std::string> started_;
};

struct InstallOptions {
    std::string tool;                  // uv | pip
    std::string uv;                    // path to uv when tool == uv
    std::string wheelhouse;            // offline: only these wheels
    std::chrono::seconds timeout{1800};
    std::function<bool()> cancelled;
    std::function<void(const std::string &)> progress;  // one line per package step
    // On a terminal: the installer runs on a pseudo-terminal and draws its own
    // progress, passed through raw; the log still gets plain lines.
    std::function<void(const std::string &chunk)> terminal;
};

// A line as a terminal showed it, as plain text: escape sequences out, and of a
// line redrawn with \r only its last state.
std::string plain_text(const std::string &line);

// A tool the job needs is not installed (uv for --installer uv): the job
// failed (exit 1); no input was broken.
struct MissingTool : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "uv" when uv is on PATH (or GPUHOST_INSTALLER=uv), else "pip"; GPUHOST_INSTALLER=pip forces pip.
std::string choose_installer(const std::string &requested, std::string &uv_path);

struct StepResult {
    bool ok = false;
    bool cancelled = false;
    std::string output;   // everything it printed
    std::string command;  // as a readable line
    std::string log_file; // where the full output was kept
    std::string describe;
};

// Makes a venv at env from the base interpreter (uv venv, else python -m venv).
// env may already hold the lock file and logs; nothing else must be in it.
StepResult create_venv(ProcessLog &log, const std::filesystem::path &env, const std::string &base_python,
                       const InstallOptions &options);

// Installs specs (only these); reinstall: specs to install again even if pip thinks they are satisfied.
// With an accelerator index in the plan (index_routing.hpp) it takes three steps, with pip and uv alike:
//   1. the accelerator builds from the accelerator index alone, without dependencies;
//   2. the companions they pin that the index serves (torch -> pytorch-triton-rocm), the same way;
//   3. everything else from the default index, with every build of steps 1-2 pinned to the exact
//      version installed, so their dependencies resolve there and nothing can replace them.
// A wheelhouse (offline) is one source: one step.
StepResult install_packages(ProcessLog &log, const std::filesystem::path &env, const Plan &plan,
                            const std::vector<std::string> &specs, const std::vector<std::string> &reinstall,
                            const InstallOptions &options);

// Where one installer call looks: the plan's default index, or its accelerator index alone.
enum class IndexChoice { default_index, accelerator_index };

// The argument list handed to the installer (without the program), for tests and --json.
std::vector<std::string> install_arguments(const std::filesystem::path &env, const Plan &plan,
                                           const std::vector<std::string> &specs, bool reinstall,
                                           const InstallOptions &options,
                                           IndexChoice index = IndexChoice::default_index, bool no_deps = false);

// What the accelerator builds in env pin and the accelerator index serves, not yet installed:
// Requires-Dist lines (markers kept, for the installer to evaluate), minus those in asked.
std::vector<std::string> missing_companions(const std::filesystem::path &env, const Plan &plan,
                                            const std::vector<std::string> &asked);

// "name==version" for every distribution in env that the accelerator index serves.
std::vector<std::string> exact_index_pins(const std::filesystem::path &env, const Plan &plan);

// Variables that would add sources to an installer call (pip's and uv's own).
const std::vector<std::string> &index_variables();

// Pulls "Collecting x", "+ x==1.0", "Successfully installed ..." out of installer output.
bool is_progress_line(const std::string &line);

std::filesystem::path log_dir(const std::filesystem::path &env);

}  // namespace gpuhost::env
