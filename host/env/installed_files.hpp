// Are an installed distribution's files still there? Its *.dist-info/RECORD
// (PEP 376, PEP 627) lists each file the installer wrote with its size; a file
// that is missing or has another size was deleted, truncated or overwritten.
// Only stat() is used (no hashing), so a reuse can afford it on every run: a
// package damaged in place is reinstalled instead of reused.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost::env {

struct RecordCheck {
    bool has_record = false;           // false: no RECORD (an egg-info, a hand-made folder): nothing to check
    size_t checked = 0;                // files with a size that were compared
    std::vector<std::string> damaged;  // "numpy/__init__.py: missing", "...: 0 bytes, RECORD says 1234"
};

// Compares the files RECORD lists with what is on disk. Paths are relative to
// site_packages; one that leads outside env_root (a hostile RECORD) is not
// looked at. The RECORD is data: read with a size cap, malformed lines skipped.
RecordCheck check_record(const std::filesystem::path &dist_info, const std::filesystem::path &site_packages,
                         const std::filesystem::path &env_root);

// Where an installed distribution came from when it was installed from a direct
// reference: the "url" of its dist-info/direct_url.json (PEP 610), else "".
std::string installed_from_url(const std::filesystem::path &dist_info);

// One RECORD line's path and size (-1 when it gives none), CSV-quoted paths
// included; false for a line that is not a RECORD row. For tests and fuzzing.
bool parse_record_line(const std::string &line, std::string &path, long long &size);

}  // namespace gpuhost::env
