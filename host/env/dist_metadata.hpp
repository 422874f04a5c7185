// What an environment holds, read from its *.dist-info/METADATA files: the
// name, version and Requires-Dist of each distribution. The installer uses it
// to find the companions an accelerator build pins (torch -> triton) without
// starting Python; the files are data and are read with a size cap.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost::env {

struct Distribution {
    std::string name;                        // normalized (PEP 503)
    std::string version;                     // as written: "2.9.0+rocm6.4"
    std::vector<std::string> requires_dist;  // "pytorch-triton-rocm==3.5.0; platform_system == \"Linux\""
};

// env/lib/python3.N/site-packages, the first one found (empty when none).
std::filesystem::path find_site_packages(const std::filesystem::path &env);

// Every distribution whose METADATA could be read; an unreadable or malformed one is left out.
std::vector<Distribution> read_distributions(const std::filesystem::path &site_packages);

// The METADATA headers of one file's text (for tests and fuzzing): Name, Version, Requires-Dist.
Distribution parse_metadata(const std::string &text);

// A Requires-Dist that applies only with an extra ("...; extra == 'docs'").
bool needs_extra(const std::string &requirement);

}  // namespace gpuhost::env
