#include "tool_runner.hpp"

#include "gpuhost/bounded_file.hpp"

#include "subprocess.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gpuhost {

ToolRunner::ToolRunner(std::string sysroot, std::chrono::milliseconds timeout)
    : sysroot_(std::move(sysroot)), timeout_(timeout) {}

std::string ToolRunner::recording_key(const std::vector<std::string> &argv) {
    std::string key;
    for (size_t i = 0; i < argv.size(); ++i) {
        std::string part = i == 0 ? std::filesystem::path(argv[0]).filename().string() : argv[i];
        for (char &c : part)
            if (c == '/') c = '%';
        if (i) key += '_';
        key += part;
    }
    return key;
}

// A recorded output is data: only regular files, capped (see bounded_file.hpp).
static std::optional<std::string> slurp(const std::filesystem::path &p) { return read_bounded_file(p.string()).text; }

ToolOutput ToolRunner::run(const std::vector<std::string> &argv) const {
    ToolOutput out;
    if (argv.empty()) return out;
    if (!sysroot_.empty()) {
        // An absolute tool path must exist in the recording too (WSL's nvidia-smi).
        if (!argv[0].empty() && argv[0][0] == '/' && !std::filesystem::exists(sysroot_ + argv[0]))
            return out;
        auto base = std::filesystem::path(sysroot_) / "tools" / recording_key(argv);
        auto text = slurp(base.string() + ".txt");
        if (!text) return out;
        out.output = *text;
        out.exit_code = 0;
        if (auto code = slurp(base.string() + ".exit")) {
            try {
                out.exit_code = std::stoi(*code);
            } catch (...) {
                out.exit_code = 1;
            }
        }
        return out;
    }
    ProcessOptions options;
    options.timeout = timeout_;
    auto result = run_process(argv[0], {argv.begin() + 1, argv.end()}, options);
    out.output = std::move(result.output);
    if (!result.started) out.exit_code = 127;
    else if (result.timed_out) out.exit_code = 124;
    else if (result.signal) out.exit_code = 128 + result.signal;
    else out.exit_code = result.exit_code;
    return out;
}

}  // namespace gpuhost
