#include "gpuhost/sysroot.hpp"

#include "gpuhost/bounded_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost::sdk {

Sysroot::Sysroot(std::string prefix) : prefix_(std::move(prefix)) {
    while (prefix_.size() > 1 && prefix_.back() == '/') prefix_.pop_back();
    if (prefix_ == "/") prefix_.clear();
}

std::string Sysroot::path(const std::string &machine_path) const {
    if (prefix_.empty()) return machine_path;
    if (!machine_path.empty() && machine_path.front() == '/') return prefix_ + machine_path;
    return prefix_ + "/" + machine_path;
}

std::optional<std::string> Sysroot::read(const std::string &machine_path) const {
    // A recording is data: a FIFO or device node in it must not hang or flood detection.
    return read_bounded_file(path(machine_path)).text;
}

std::optional<std::string> Sysroot::read_line(const std::string &machine_path) const {
    auto text = read(machine_path);
    if (!text) return std::nullopt;
    std::string line = text->substr(0, text->find('\n'));
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    line.erase(line.begin(), std::find_if(line.begin(), line.end(), not_space));
    line.erase(std::find_if(line.rbegin(), line.rend(), not_space).base(), line.end());
    return line;
}

bool Sysroot::exists(const std::string &machine_path) const {
    std::error_code ec;
    return fs::exists(path(machine_path), ec);
}

std::vector<std::string> Sysroot::list(const std::string &machine_dir) const {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(path(machine_dir), ec), end; !ec && it != end; it.increment(ec))
        names.push_back(it->path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

bool Sysroot::accessible(const std::string &machine_path) const {
    if (!exists(machine_path)) return false;
    if (is_live()) return ::access(machine_path.c_str(), R_OK | W_OK) == 0;
    auto denied = read("/.gpuhost/denied");
    if (!denied) return true;
    std::istringstream lines(*denied);
    for (std::string line; std::getline(lines, line);)
        if (line == machine_path) return false;
    return true;
}

}  // namespace gpuhost::sdk
