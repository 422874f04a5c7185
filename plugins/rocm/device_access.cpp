#include "device_access.hpp"

#include "smi_parser.hpp"

#include <algorithm>

namespace gpuhost::rocm {

namespace {

bool member(const std::vector<std::string> &groups, const std::string &g) {
    return std::find(groups.begin(), groups.end(), g) != groups.end();
}

std::string group_note(const std::vector<std::string> &groups, std::vector<std::string> wanted) {
    if (groups.empty()) return {};
    std::string have, missing;
    for (const auto &g : groups) have += (have.empty() ? "" : " ") + g;
    for (const auto &w : wanted)
        if (!member(groups, w)) missing += (missing.empty() ? "" : ", ") + w;
    if (missing.empty()) return " (the user is in " + have + " already: log out and in again, or check the node's permissions)";
    return " (the user's groups: " + have + "; missing: " + missing + ")";
}

}  // namespace

AccessFacts check_kfd(const sdk::Host &host) {
    AccessFacts f;
    f.kfd_present = host.root().exists("/dev/kfd");
    f.kfd_open = f.kfd_present && host.root().accessible("/dev/kfd");
    auto ids = host.run({"id", "-Gn"});
    if (!ids.ok()) ids = host.run({"groups"});
    if (ids.ok()) f.groups = parse_groups(ids.output);
    if (!f.kfd_present)
        f.kfd_reason = "/dev/kfd does not exist: the amdgpu kernel driver is not loaded with KFD, or the container "
                       "was started without --device=/dev/kfd --device=/dev/dri";
    else if (!f.kfd_open)
        f.kfd_reason = "/dev/kfd not accessible: add the user to the render and video groups (sudo usermod -aG "
                       "render,video $USER) or pass --device=/dev/kfd to the container" +
                       group_note(f.groups, {"render", "video"});
    return f;
}

std::string render_node_problem(const sdk::Host &host, const std::vector<std::string> &groups, std::uint64_t minor) {
    std::string node = "/dev/dri/renderD" + std::to_string(minor);
    if (!host.root().exists(node))
        return node + " does not exist: pass --device=/dev/dri to the container";
    if (!host.root().accessible(node))
        return node + " not accessible: add the user to the render group (sudo usermod -aG render $USER)" +
               group_note(groups, {"render"});
    return {};
}

}  // namespace gpuhost::rocm
