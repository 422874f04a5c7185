// Which index serves which requirement of a plan. The accelerator index
// (download.pytorch.org/whl/<tag>, a vendor's feed) serves only the projects
// the plan names in index_packages; everything else comes from the default
// index. Installing in that order, with the accelerator builds held by exact
// pins afterwards, means no other index can stand in for them (no dependency
// confusion) and the accelerator index is never asked for transformers.
#pragma once
#include "../plan/plan.hpp"

#include <string>
#include <vector>

namespace gpuhost::env {

struct Routed {
    std::vector<std::string> from_index;    // the accelerator index only
    std::vector<std::string> from_default;  // the default index
};

bool routes_by_index(const Plan &plan);  // the plan has an accelerator index
bool served_by_index(const Plan &plan, const std::string &project);  // any spelling of the name
Routed route(const Plan &plan, const std::vector<std::string> &specs);

// "torch==2.9.0" -> "torch==2.9.0+cu126" for the torch family when the index's
// builds carry that label; other specs unchanged. For requirement files that
// list both indexes: a labelled version exists on no other index.
std::string with_index_label(const Plan &plan, const std::string &spec);

// The default index as words, for messages: "https://mirror/simple" or "the default index (PyPI unless ...)".
std::string default_index_words(const Plan &plan);

}  // namespace gpuhost::env
