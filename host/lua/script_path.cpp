#include "script_path.hpp"

#include "../core/log.hpp"
#include "../plugins/plugin_set.hpp"

#include "../core/paths.hpp"

#include <algorithm>
#include <map>

namespace fs = std::filesystem;

namespace gpuhost::lua {

ScriptPath::ScriptPath(std::vector<fs::path> roots) {
    for (auto &r : roots) {
        std::error_code ec;
        if (r.empty() || !fs::is_directory(r, ec)) continue;
        auto canonical = fs::canonical(r, ec);
        if (ec) continue;
        if (std::find(roots_.begin(), roots_.end(), canonical) == roots_.end()) roots_.push_back(canonical);
    }
}

fs::path ScriptPath::installed_root() { return paths::executable_dir().parent_path() / "share" / "gpuhost" / "scripts"; }

ScriptPath ScriptPath::standard(const fs::path &project_dir) {
    std::vector<fs::path> roots;
    if (!project_dir.empty()) {
        // Scripts beside a profile choose indexes and the Python that `run` executes:
        // only from a folder no other user can write to.
        fs::path project = project_dir / "scripts";
        std::string why = insecure_reason(project);
        if (why.empty()) why = insecure_reason(project_dir);
        std::error_code ec;
        if (why.empty() || !fs::exists(project, ec)) roots.push_back(project);
        else log::warn("project scripts " + project.string() + " ignored: " + why);
    }
    roots.push_back(paths::data_dir() / "scripts");
    roots.push_back(installed_root());
    return ScriptPath(std::move(roots));
}

static bool climbs_out(const fs::path &relative) {
    if (relative.is_absolute()) return true;
    for (const auto &part : relative)
        if (part == "..") return true;
    return false;
}

std::optional<fs::path> ScriptPath::find(const std::string &relative) const {
    fs::path rel(relative);
    if (relative.empty() || climbs_out(rel)) return std::nullopt;
    for (const auto &root : roots_) {
        std::error_code ec;
        auto candidate = root / rel;
        if (fs::is_regular_file(candidate, ec) && contains(candidate)) return candidate;
    }
    return std::nullopt;
}

bool ScriptPath::contains(const fs::path &file) const {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(fs::absolute(file, ec), ec);
    if (ec) return false;
    for (const auto &root : roots_) {
        auto rel = canonical.lexically_relative(root);
        if (!rel.empty() && *rel.begin() != ".." && rel != ".") return true;
    }
    return false;
}

std::vector<fs::path> ScriptPath::list(const std::string &subdir) const {
    std::map<std::string, fs::path> by_name;
    for (auto it = roots_.rbegin(); it != roots_.rend(); ++it) {
        std::error_code ec;
        for (const auto &entry : fs::directory_iterator(*it / subdir, ec)) {
            if (entry.path().extension() != ".lua" || !entry.is_regular_file(ec)) continue;
            by_name[entry.path().filename().string()] = entry.path();
        }
    }
    std::vector<fs::path> out;
    for (auto &[name, path] : by_name) out.push_back(path);
    return out;
}

std::string ScriptPath::describe() const {
    std::string s;
    for (const auto &r : roots_) s += (s.empty() ? "" : ":") + r.string();
    return s.empty() ? "(no script folders found)" : s;
}

}  // namespace gpuhost::lua
