// Can this user open /dev/kfd and the render nodes? The precise reason when not.
#pragma once
#include "gpuhost/plugin.hpp"

#include <string>
#include <vector>

namespace gpuhost::rocm {

struct AccessFacts {
    bool kfd_present = false, kfd_open = false;
    std::vector<std::string> groups;  // empty when neither `id -Gn` nor `groups` answered
    std::string kfd_reason;           // empty when /dev/kfd is usable
};

AccessFacts check_kfd(const sdk::Host &host);

// "/dev/dri/renderD128 not accessible: ..." or empty.
std::string render_node_problem(const sdk::Host &host, const std::vector<std::string> &groups, std::uint64_t minor);

}  // namespace gpuhost::rocm
