// Resolving a plan against its indexes before anything is created: pip's own
// resolver (`pip install --dry-run --report`) or uv's (`uv pip compile`), in
// the same order as the install (index_routing.hpp): the accelerator builds on
// their index alone, then everything else with those builds pinned exactly.
// A pin or build that does not exist fails here, naming the package and the
// index, and nothing on disk has changed.
#pragma once
#include "installer.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost::env {

struct ResolvedPackage {
    std::string name;     // normalized
    std::string version;  // exact, with its local label ("2.9.0+rocm6.4")
    std::string source;   // the index it comes from
};

struct Resolution {
    enum class Status { ok, failed, skipped };
    Status status = Status::skipped;
    std::string message;  // failed: what and where; skipped: why
    std::string package;  // the requirement that could not be resolved, when the resolver named one
    std::string index;    // the index that was asked for it
    std::vector<ResolvedPackage> packages;
    std::string output;   // the resolvers' own words
    boost::json::object to_json() const;
};

// base_python: the interpreter the environment will be made from (its
// version and platform decide which wheels fit). options: tool, uv, wheelhouse, timeout.
Resolution resolve_plan(ProcessLog &log, const Plan &plan, const std::string &base_python,
                        const InstallOptions &options);

// The requirement a resolver's error text is about ("torch==0.0.1"), or "".
std::string failed_requirement(const std::string &resolver_output);

}  // namespace gpuhost::env
