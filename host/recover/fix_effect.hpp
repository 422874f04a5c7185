// What applying a rule's fix changes, as data the environment builder acts on:
// variables for the environment's activation, a build to re-plan with, the pip
// cache to purge, or the environment to recreate. Pure: nothing is run here.
#pragma once
#include "rule_book.hpp"

#include <map>
#include <string>

namespace gpuhost::recover {

struct FixEffect {
    std::map<std::string, std::string> set_env;      // NAME=value in the activation
    std::map<std::string, std::string> prepend_env;  // NAME=dir put in front of the existing value (*PATH)
    std::string accelerator;   // re-plan with this build ("cpu" for switch_cpu); empty: keep the plan's
    bool older_accelerator = false;  // re-plan with the next build older than the plan's (driver too old)
    bool purge_pip_cache = false;    // python -m pip cache purge (uv cache clean) before reinstalling
    bool recreate_env = false;       // delete and make the environment again
    bool reinstall = false;          // install the plan's packages again
};

// Throws std::invalid_argument for an unknown action or a fix that is not ready.
FixEffect effect_of(const Fix &fix);

}  // namespace gpuhost::recover
