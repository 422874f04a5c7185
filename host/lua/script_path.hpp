// Where Lua scripts are found: a project's scripts/ beside the profile, the
// user's data directory, then the installed scripts. Files override per name:
// a user's tables/pytorch.lua replaces the installed one, the rest still load.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::lua {

class ScriptPath {
public:
    ScriptPath() = default;
    explicit ScriptPath(std::vector<std::filesystem::path> roots);

    // project_dir: the folder holding the profile ("" when none); its scripts/
    // comes first. Then paths::data_dir()/scripts, then the installed folder.
    static ScriptPath standard(const std::filesystem::path &project_dir = {});
    // PREFIX/share/gpuhost/scripts beside bin/ (the build tree links it to the source scripts/).
    static std::filesystem::path installed_root();

    const std::vector<std::filesystem::path> &roots() const { return roots_; }

    // First root holding `relative` ("tables/pytorch.lua"); relative must not climb out.
    std::optional<std::filesystem::path> find(const std::string &relative) const;
    // True when `file` (after resolving links) lies inside one of the roots.
    bool contains(const std::filesystem::path &file) const;
    // Every "*.lua" in `subdir` across the roots, one per file name, the
    // highest-priority root winning; sorted by file name.
    std::vector<std::filesystem::path> list(const std::string &subdir) const;
    std::string describe() const;  // "a:b:c" for messages

private:
    std::vector<std::filesystem::path> roots_;  // canonical, existing, highest priority first
};

}  // namespace gpuhost::lua
