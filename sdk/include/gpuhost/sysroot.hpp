// File access through a root prefix, so a recorded machine replays in tests.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::sdk {

class Sysroot {
public:
    explicit Sysroot(std::string prefix = {});

    const std::string &prefix() const { return prefix_; }
    bool is_live() const { return prefix_.empty(); }
    // The real path of an absolute machine path ("/proc/cpuinfo").
    std::string path(const std::string &machine_path) const;

    std::optional<std::string> read(const std::string &machine_path) const;
    // First line, surrounding whitespace removed.
    std::optional<std::string> read_line(const std::string &machine_path) const;
    bool exists(const std::string &machine_path) const;
    // Entry names in a directory, sorted; empty when it does not exist.
    std::vector<std::string> list(const std::string &machine_dir) const;
    // Can the current user open this node for reading and writing? Under a
    // recording, a node listed in .gpuhost/denied could not be opened then.
    bool accessible(const std::string &machine_path) const;

private:
    std::string prefix_;
};

}  // namespace gpuhost::sdk
