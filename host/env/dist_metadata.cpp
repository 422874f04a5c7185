#include "dist_metadata.hpp"

#include "requirements.hpp"

#include <gpuhost/bounded_file.hpp>

#include <algorithm>
#include <sstream>

namespace fs = std::filesystem;

namespace gpuhost::env {

fs::path find_site_packages(const fs::path &env) {
    std::error_code ec;
    std::vector<fs::path> found;
    for (fs::directory_iterator it(env / "lib", ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().rfind("python", 0) == 0 && fs::is_directory(it->path() / "site-packages", ec))
            found.push_back(it->path() / "site-packages");
    std::sort(found.begin(), found.end());
    return found.empty() ? fs::path() : found.front();
}

static std::string trimmed(const std::string &s) {
    auto b = s.find_first_not_of(" \t\r");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

Distribution parse_metadata(const std::string &text) {
    Distribution d;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) break;  // the body (the description) follows the headers
        if (line[0] == ' ' || line[0] == '\t') continue;  // a folded header's continuation
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = line.substr(0, colon), value = trimmed(line.substr(colon + 1));
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (key == "name") d.name = normalize_name(value);
        else if (key == "version") d.version = value;
        else if (key == "requires-dist" && !value.empty()) d.requires_dist.push_back(value);
    }
    return d;
}

bool needs_extra(const std::string &requirement) {
    auto semi = requirement.find(';');
    if (semi == std::string::npos) return false;
    std::string marker = requirement.substr(semi + 1);
    for (std::size_t at = marker.find("extra"); at != std::string::npos; at = marker.find("extra", at + 1)) {
        bool word_start = at == 0 || !(std::isalnum(static_cast<unsigned char>(marker[at - 1])) || marker[at - 1] == '_');
        std::size_t after = at + 5;
        bool word_end = after >= marker.size() || !(std::isalnum(static_cast<unsigned char>(marker[after])) || marker[after] == '_');
        if (word_start && word_end) return true;
    }
    return false;
}

std::vector<Distribution> read_distributions(const fs::path &site_packages) {
    std::vector<Distribution> out;
    std::error_code ec;
    for (fs::directory_iterator it(site_packages, ec), end; !ec && it != end; it.increment(ec)) {
        const auto &dir = it->path();
        if (dir.extension() != ".dist-info") continue;
        auto read = read_bounded_file((dir / "METADATA").string(), std::size_t(4) << 20);
        if (!read.text) continue;
        Distribution d = parse_metadata(*read.text);
        if (!d.name.empty() && !d.version.empty()) out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(), [](const Distribution &a, const Distribution &b) { return a.name < b.name; });
    return out;
}

}  // namespace gpuhost::env
