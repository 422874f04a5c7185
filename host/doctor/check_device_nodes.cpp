// Device nodes the GPU stacks open (/dev/nvidia*, /dev/kfd, /dev/dri/renderD*)
// and whether this user may open them; the render/video groups usually decide.
#include "../recover/facts.hpp"
#include "doctor.hpp"

#include <grp.h>
#include <sstream>
#include <unistd.h>

namespace gpuhost::doctor {

// `groups` through the runner (tools/groups.txt in a recording); live, the
// process's own groups when the tool is missing.
static std::vector<std::string> user_groups(const Context &ctx, bool &known) {
    std::vector<std::string> names;
    auto out = ctx.tools.run({"groups"});
    known = out.exit_code == 0;
    if (known) {
        std::istringstream words(out.output.substr(out.output.rfind(':') == std::string::npos ? 0 : out.output.rfind(':') + 1));
        for (std::string w; words >> w;) names.push_back(w);
    } else if (ctx.live()) {
        std::vector<gid_t> ids(std::max(getgroups(0, nullptr), 0));
        ids.resize(std::max(getgroups(int(ids.size()), ids.data()), 0));
        for (auto id : ids)
            if (auto *g = getgrgid(id)) names.emplace_back(g->gr_name);
        known = true;
    }
    return names;
}

static bool member(const std::vector<std::string> &groups, const char *name) {
    for (const auto &g : groups)
        if (g == name) return true;
    return false;
}

void check_device_nodes(const Context &ctx, Report &report) {
    bool groups_known = false;
    auto groups = user_groups(ctx, groups_known);
    bool in_container = !recover::container_hint(ctx.root).empty();
    std::string missing_groups;
    if (groups_known)
        for (const char *g : {"render", "video"})
            if (!member(groups, g)) missing_groups += (missing_groups.empty() ? "" : ",") + std::string(g);
    std::string group_fix =
        in_container ? "start the container with the host's groups: docker run --group-add video --group-add render "
                       "(or the numeric GID of /dev/kfd's group on the host: stat -c %g /dev/kfd)"
                     : "add yourself to the render and video groups: sudo usermod -aG render,video $USER, then log out and in";

    std::vector<std::string> ok, denied;
    auto look = [&](const std::string &node) {
        if (!ctx.root.exists(node)) return false;
        (ctx.root.accessible(node) ? ok : denied).push_back(node);
        return true;
    };
    for (const auto &name : ctx.root.list("/dev"))
        if (name.rfind("nvidia", 0) == 0 && name != "nvidia-caps") look("/dev/" + name);
    bool kfd = look("/dev/kfd");
    std::vector<std::string> render;
    for (const auto &name : ctx.root.list("/dev/dri"))
        if (name.rfind("renderD", 0) == 0 && look("/dev/dri/" + name)) render.push_back(name);
    look("/dev/dxg");

    for (const auto &node : denied) {
        bool is_kfd = node == "/dev/kfd";
        bool is_render = node.rfind("/dev/dri/", 0) == 0;
        Severity sev = is_kfd ? Severity::critical : Severity::error;
        std::string what = is_kfd ? "ROCm cannot reach any AMD GPU"
                         : is_render ? "compute on this GPU (ROCm, Level Zero, Vulkan) fails for this user"
                                     : "CUDA cannot open the GPU";
        std::string fix = node.rfind("/dev/nvidia", 0) == 0
                              ? "check the node's permissions (ls -l " + node + "); in a container use --gpus all"
                              : group_fix;
        std::string rule = is_kfd ? "kfd_permission_denied"
                         : is_render ? (ctx.has_gpu("intel") && !ctx.has_gpu("amd") ? "xpu_permission_denied"
                                                                                    : "kfd_permission_denied")
                                     : "";
        auto &f = report.add("device_nodes", sev, node + " exists but this user cannot open it: " + what, fix, rule);
        f.details["node"] = node;
        if (!missing_groups.empty()) f.details["missing_groups"] = missing_groups;
    }
    if (!ok.empty()) {
        std::string list;
        for (const auto &n : ok) list += (list.empty() ? "" : " ") + n;
        report.add("device_nodes", Severity::info, "accessible: " + list);
    }
    bool amd = ctx.has_gpu("amd") || ctx.module_loaded("amdgpu");
    if (amd && !kfd)
        report.add("device_nodes", Severity::error, "an AMD GPU is present but /dev/kfd is not: ROCm cannot run",
                   in_container ? "pass it into the container: --device=/dev/kfd --device=/dev/dri"
                                : "the kernel needs amdgpu with HSA (KFD) support; check dmesg | grep -i kfd",
                   in_container ? "container_no_gpu" : "kfd_permission_denied");
    if (groups_known) {
        std::string list;
        for (const auto &g : groups) list += (list.empty() ? "" : " ") + g;
        auto &f = report.add("groups", Severity::info, "user groups: " + (list.empty() ? std::string("(none)") : list));
        f.details["missing"] = missing_groups;
        if (!missing_groups.empty() && (kfd || !render.empty()) && denied.empty())
            f.summary += " (not in " + missing_groups + "; the GPU nodes are open to you anyway)";
    }
}

}  // namespace gpuhost::doctor
