#include "installed_files.hpp"

#include <gpuhost/bounded_file.hpp>

#include <boost/json.hpp>
#include <sstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost::env {

namespace {

// torch's RECORD is about 2 MB; a bigger one is not an installer's.
constexpr std::size_t kMaxRecordBytes = std::size_t(64) << 20;
// Enough examples to say what is wrong; the count says how much.
constexpr size_t kDamagedShown = 3;

bool inside(const fs::path &root, const fs::path &p) {
    fs::path rel = p.lexically_normal().lexically_relative(root.lexically_normal());
    return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

bool parse_record_line(const std::string &line, std::string &path, long long &size) {
    path.clear();
    size = -1;
    size_t at = 0;
    if (!line.empty() && line[0] == '"') {
        // CSV quoting: "a,b.py" with "" for a quote.
        for (at = 1; at < line.size(); ++at) {
            if (line[at] != '"') path += line[at];
            else if (at + 1 < line.size() && line[at + 1] == '"') path += '"', ++at;
            else break;
        }
        if (at >= line.size()) return false;  // no closing quote
        ++at;
        if (at >= line.size() || line[at] != ',') return false;
    } else {
        at = line.find(',');
        if (at == std::string::npos) return false;
        path = line.substr(0, at);
    }
    auto last = line.rfind(',');
    if (last == std::string::npos || last < at) return false;
    std::string digits = line.substr(last + 1);
    if (!digits.empty() && digits.back() == '\r') digits.pop_back();
    if (digits.empty()) return !path.empty();
    if (digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    size = std::stoll(digits);
    return !path.empty();
}

std::string installed_from_url(const fs::path &dist_info) {
    auto read = read_bounded_file((dist_info / "direct_url.json").string(), std::size_t(1) << 20);
    if (!read.text) return {};
    boost::system::error_code ec;
    auto value = boost::json::parse(*read.text, ec);
    const auto *url = !ec && value.is_object() ? value.as_object().if_contains("url") : nullptr;
    return url && url->is_string() ? std::string(url->as_string()) : std::string();
}

RecordCheck check_record(const fs::path &dist_info, const fs::path &site_packages, const fs::path &env_root) {
    RecordCheck check;
    auto read = read_bounded_file((dist_info / "RECORD").string(), kMaxRecordBytes);
    if (!read.text) return check;
    check.has_record = true;
    size_t damaged = 0;
    const std::string base = site_packages.string() + "/";
    int dir = ::open(site_packages.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    std::istringstream in(*read.text);
    std::string line, path;
    long long size = -1;
    while (std::getline(in, line)) {
        if (!parse_record_line(line, path, size) || size < 0) continue;  // RECORD itself, *.pyc: no size
        // A plain relative path stays inside; only one with ".." or a leading
        // '/' needs the (costlier) normalisation to prove it.
        bool plain = path[0] != '/' && path.find("..") == std::string::npos;
        const std::string full = path[0] == '/' ? path : base + path;  // RECORD may hold absolute paths
        if (!plain && !inside(env_root, full)) continue;
        ++check.checked;
        struct stat st{};
        std::string problem;
        // Relative to the open site-packages folder: the kernel walks only the file's own part of the path.
        int rc = plain && dir >= 0 ? ::fstatat(dir, path.c_str(), &st, 0) : ::stat(full.c_str(), &st);
        if (rc != 0) problem = "missing";
        else if (!S_ISREG(st.st_mode)) problem = "not a regular file";
        else if (st.st_size != size)
            problem = std::to_string(st.st_size) + " bytes, RECORD says " + std::to_string(size);
        if (problem.empty()) continue;
        if (++damaged <= kDamagedShown) check.damaged.push_back(path + ": " + problem);
    }
    if (dir >= 0) ::close(dir);
    if (damaged > kDamagedShown) check.damaged.push_back("and " + std::to_string(damaged - kDamagedShown) + " more");
    return check;
}

}  // namespace gpuhost::env
