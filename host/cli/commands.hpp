// The subcommands. Each lives in its own cmd_<name>.cpp and is listed once in commands.cpp.
#pragma once
#include <string>
#include <vector>

namespace gpuhost::cli {

using CommandFn = int (*)(const std::vector<std::string> &args);

struct Command {
    const char *name;
    const char *summary;
    CommandFn run;
    bool hidden = false;  // internal commands (the probe child) stay out of --help
};

const std::vector<Command> &commands();

int run_detect(const std::vector<std::string> &args);
int run_plugins(const std::vector<std::string> &args);
int run_probe(const std::vector<std::string> &args);
int run_cache(const std::vector<std::string> &args);
int run_config(const std::vector<std::string> &args);
int run_select(const std::vector<std::string> &args);
int run_snapshot(const std::vector<std::string> &args);
int run_bench(const std::vector<std::string> &args);
int run_explain(const std::vector<std::string> &args);
int run_doctor(const std::vector<std::string> &args);
int run_plan(const std::vector<std::string> &args);
int run_recommend(const std::vector<std::string> &args);
int run_run(const std::vector<std::string> &args);
int run_export(const std::vector<std::string> &args);
int run_completion(const std::vector<std::string> &args);
int run_man(const std::vector<std::string> &args);

}  // namespace gpuhost::cli
