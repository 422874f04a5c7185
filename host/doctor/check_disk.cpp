// Free space where environments, caches and temporary builds go: a CUDA
// PyTorch environment takes 5-8 GB and pip needs as much again while it works.
#include "doctor.hpp"

#include "../core/paths.hpp"
#include "../cli/cli_support.hpp"

#include <cstdlib>
#include <map>
#include <sys/stat.h>
#include <sys/statvfs.h>

namespace fs = std::filesystem;

namespace gpuhost::doctor {


// The nearest folder that exists: the envs folder may not be made yet.
static fs::path existing(fs::path p) {
    std::error_code ec;
    while (!p.empty() && !fs::exists(p, ec) && p != p.parent_path()) p = p.parent_path();
    return p;
}

void check_disk(const Context &ctx, Report &report) {
    if (!ctx.live()) {
        report.skipped.push_back("disk: free space is this machine's, not the recording's");
        return;
    }
    const char *pip_cache = std::getenv("PIP_CACHE_DIR");
    const char *tmp = std::getenv("TMPDIR");
    std::vector<std::pair<std::string, fs::path>> places = {
        {"environments", ctx.options.envs_dir.empty() ? default_envs_dir() : ctx.options.envs_dir},
        {"gpuhost cache", paths::cache_dir()},
        {"pip cache", pip_cache && *pip_cache ? fs::path(pip_cache) : paths::home() / ".cache" / "pip"},
        {"temporary files", tmp && *tmp ? fs::path(tmp) : fs::path("/tmp")},
    };
    std::map<dev_t, std::pair<std::string, fs::path>> filesystems;  // one finding per filesystem
    for (const auto &[what, path] : places) {
        auto at = existing(path);
        struct stat st {};
        if (at.empty() || ::stat(at.c_str(), &st) != 0) continue;
        auto [it, fresh] = filesystems.try_emplace(st.st_dev, what, at);
        if (!fresh) it->second.first += ", " + what;
    }
    for (const auto &[dev, entry] : filesystems) {
        struct statvfs vfs {};
        if (::statvfs(entry.second.c_str(), &vfs) != 0) continue;
        double free_bytes = double(vfs.f_bavail) * double(vfs.f_frsize);
        double gib = free_bytes / (1024.0 * 1024 * 1024);
        Severity sev = gib < 2 ? Severity::error : gib < 10 ? Severity::warning : Severity::info;
        auto &f = report.add("disk", sev,
                             cli::human_bytes(free_bytes) + " free at " + entry.second.string() + " (" + entry.first + ")",
                             sev == Severity::info ? ""
                                                   : "free space (a CUDA PyTorch environment needs 5-8 GB, more while "
                                                     "installing): pip cache purge, or point PIP_CACHE_DIR/TMPDIR elsewhere",
                             sev == Severity::info ? "" : "disk_full");
        f.details["path"] = entry.second.string();
        f.details["free_bytes"] = free_bytes;
    }
}

}  // namespace gpuhost::doctor
