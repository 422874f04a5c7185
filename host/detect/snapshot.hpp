// `gpuhost snapshot DIR`: records the files and tool outputs the plugins read,
// in the layout `--sysroot DIR` replays (tests/fixtures/README.md): machine
// paths under DIR, device nodes as empty files, nodes this user cannot open
// listed in DIR/.gpuhost/denied, tool outputs as DIR/tools/<key>.txt + .exit.
#pragma once
#include "../core/tool_runner.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost {

struct SnapshotReport {
    std::vector<std::string> files;   // machine paths copied
    std::vector<std::string> nodes;   // device nodes recorded
    std::vector<std::string> denied;  // nodes this user cannot open
    std::vector<std::string> tools;   // recording keys written
    std::vector<std::string> skipped; // "PATH: why"
};

// The tool invocations the plugins make; each is recorded when the tool exists.
const std::vector<std::vector<std::string>> &snapshot_tool_invocations();

// Records this machine (read from `source_root`, "/" normally) into `dir`,
// which must be empty or absent. Throws std::runtime_error when it cannot write.
SnapshotReport take_snapshot(const std::filesystem::path &dir, const ToolRunner &tools,
                             const std::filesystem::path &source_root = "/");

}  // namespace gpuhost
