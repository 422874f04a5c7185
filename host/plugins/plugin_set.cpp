#include "plugin_set.hpp"
#include "trusted_file.hpp"

#include "../core/files.hpp"
#include "../core/log.hpp"
#include "../core/paths.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost {

std::vector<fs::path> default_plugin_dirs() {
    std::vector<fs::path> dirs;
    auto exe = paths::executable_dir();
    if (!exe.empty()) {
        dirs.push_back(exe / "plugins");                        // build tree: bin/plugins
        dirs.push_back(exe.parent_path() / "lib/gpuhost/plugins");  // installed: prefix/lib/gpuhost/plugins
    }
    dirs.push_back(paths::data_dir() / "plugins");
    if (const char *extra = std::getenv("GPUHOST_PLUGIN_PATH")) {
        std::stringstream list(extra);
        for (std::string dir; std::getline(list, dir, ':');)
            if (!dir.empty() && fs::path(dir).is_absolute()) dirs.emplace_back(dir);
            else if (!dir.empty()) log::warn("GPUHOST_PLUGIN_PATH entry \"" + dir + "\" ignored: not an absolute path");
    }
    return dirs;
}

PluginSearchOptions default_search_options() {
    PluginSearchOptions o;
    o.dirs = default_plugin_dirs();
    const char *allow = std::getenv("GPUHOST_ALLOW_INSECURE_PLUGINS");
    o.allow_insecure = allow && std::string(allow) == "1";
    if (const char *off = std::getenv("GPUHOST_DISABLE_PLUGINS")) {
        std::stringstream list(off);
        for (std::string name; std::getline(list, name, ',');)
            if (!name.empty()) o.disabled.push_back(name);
    }
    return o;
}

std::shared_ptr<PluginLibrary> PluginSet::find(const std::string &name) const {
    for (const auto &p : loaded)
        if (p->name() == name) return p;
    return nullptr;
}

std::vector<Manifest> PluginSet::manifests() const {
    std::vector<Manifest> all;
    for (const auto &p : loaded) all.push_back(p->manifest());
    all.insert(all.end(), deferred.begin(), deferred.end());
    return all;
}

std::vector<std::string> PluginSet::backends() const {
    std::vector<std::pair<int, std::string>> all;
    for (const auto &m : manifests())
        for (const auto &b : m.backends)
            if (std::none_of(all.begin(), all.end(), [&](const auto &p) { return p.second == b; }))
                all.emplace_back(m.priority, b);
    std::sort(all.begin(), all.end());
    std::vector<std::string> out;
    for (auto &p : all) out.push_back(std::move(p.second));
    return out;
}

int PluginSet::backend_priority(const std::string &backend) const {
    for (const auto &m : manifests())
        if (std::find(m.backends.begin(), m.backends.end(), backend) != m.backends.end()) return m.priority;
    return 50;
}

void PluginSet::load_deferred(const std::function<bool(const std::string &)> &wanted) {
    std::vector<Manifest> keep;
    for (auto &m : deferred) {
        if (!wanted(m.name)) {
            keep.push_back(std::move(m));
            continue;
        }
        try {
            loaded.push_back(PluginLibrary::load(m));
        } catch (const PluginLoadError &e) {
            rejected.push_back({m.file, m.name, e.what()});
        }
    }
    deferred = std::move(keep);
}

std::string insecure_reason(const fs::path &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return untrusted_owner_or_mode(path.string(), st.st_uid, st.st_mode, false);
}

PluginSet load_plugins(const PluginSearchOptions &options) {
    PluginSet set;
    std::map<std::string, fs::path> seen;  // name -> the manifest that won
    std::vector<fs::path> visited;
    for (const auto &dir : options.dirs) {
        std::error_code ec;
        fs::path canonical = fs::weakly_canonical(dir, ec);
        if (ec) canonical = dir;
        if (std::find(visited.begin(), visited.end(), canonical) != visited.end()) continue;
        visited.push_back(canonical);
        set.searched.push_back(dir);
        if (!fs::is_directory(dir, ec)) continue;

        if (!options.allow_insecure)
            if (auto why = insecure_reason(dir); !why.empty()) {
                set.rejected.push_back({dir, "", "folder refused: " + why});
                continue;
            }
        std::vector<fs::path> manifests;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::string name = it->path().filename().string();
            if (name.size() > std::strlen(kManifestSuffix) &&
                name.compare(name.size() - std::strlen(kManifestSuffix), std::string::npos, kManifestSuffix) == 0)
                manifests.push_back(it->path());
        }
        std::sort(manifests.begin(), manifests.end());

        for (const auto &file : manifests) {
            Manifest m;
            try {
                m = read_manifest(file);
            } catch (const FileError &e) {
                set.rejected.push_back({file, "", std::string("broken manifest: ") + e.what()});
                continue;
            }
            auto reject = [&](const std::string &why) { set.rejected.push_back({file, m.name, why}); };
            if (std::find(options.disabled.begin(), options.disabled.end(), m.name) != options.disabled.end()) {
                reject("disabled by GPUHOST_DISABLE_PLUGINS");
                continue;
            }
            if (auto first = seen.find(m.name); first != seen.end()) {
                reject("duplicate name \"" + m.name + "\": already provided by " + first->second.string());
                continue;
            }
            if (!m.platforms.empty() &&
                std::find(m.platforms.begin(), m.platforms.end(), current_platform()) == m.platforms.end()) {
                reject(std::string("not built for this platform (") + current_platform() + ")");
                continue;
            }
            if (m.abi_max < GPUHOST_ABI_MIN || m.abi_min > GPUHOST_ABI_CURRENT) {
                reject("manifest ABI " + std::to_string(m.abi_min) + ".." + std::to_string(m.abi_max) +
                       " outside what this host speaks (" + std::to_string(GPUHOST_ABI_MIN) + ".." +
                       std::to_string(GPUHOST_ABI_CURRENT) + ")");
                continue;
            }
            if (!fs::exists(m.library, ec)) {
                reject("library " + m.library.string() + " does not exist");
                continue;
            }
            // The manifest decides which library runs: it must be as safe as the library.
            if (!options.allow_insecure)
                if (auto why = insecure_reason(file); !why.empty()) {
                    reject("manifest refused: " + why);
                    continue;
                }
            if (!options.allow_insecure)
                if (auto why = insecure_reason(m.library); !why.empty()) {
                    reject("refused: " + why);
                    continue;
                }
            m.trust_waived = options.allow_insecure;
            if (options.defer_loading) {
                seen[m.name] = file;
                set.deferred.push_back(std::move(m));
                continue;
            }
            try {
                auto lib = PluginLibrary::load(m);
                seen[m.name] = file;
                set.loaded.push_back(std::move(lib));
            } catch (const PluginLoadError &e) {
                reject(e.what());
            }
        }
    }
    for (const auto &r : set.rejected) log::debug("plugin rejected: " + r.path.string() + ": " + r.reason);
    return set;
}

}  // namespace gpuhost
