#include "activation.hpp"

#include "../core/files.hpp"
#include "../plan/plan_checks.hpp"

#include <stdexcept>

namespace gpuhost::env {

namespace {

const std::string kBegin = "# >>> gpuhost: the plan's environment variables >>>\n";
const std::string kEnd = "# <<< gpuhost: the plan's environment variables <<<\n";

// A POSIX shell single-quoted word: nothing inside is expanded.
std::string quoted(const std::string &value) {
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

bool write_activation_env(const std::filesystem::path &env, const std::map<std::string, std::string> &vars) {
    auto file = env / "bin" / "activate";
    auto text = read_text(file);
    if (!text) return false;
    std::string script = *text;
    if (auto begin = script.find(kBegin); begin != std::string::npos) {
        auto end = script.find(kEnd, begin);
        script.erase(begin, end == std::string::npos ? std::string::npos : end + kEnd.size() - begin);
    }
    if (!vars.empty()) {
        script += kBegin;
        for (const auto &[name, value] : vars) {
            // Names are checked at the plan boundary; a shell script is no place to trust that twice.
            if (!is_posix_env_name(name)) throw std::runtime_error("environment variable name \"" + name + "\" is not a POSIX name");
            script += "export " + name + "=" + quoted(value) + "\n";
        }
        script += kEnd;
    }
    if (script != *text) write_file_atomic(file, script);
    return true;
}

}  // namespace gpuhost::env
