#include "fix_effect.hpp"

#include <stdexcept>

namespace gpuhost::recover {

static std::string arg(const Fix &fix, const char *key) {
    auto it = fix.args.find(key);
    if (it == fix.args.end() || !it->value().is_string() || it->value().as_string().empty())
        throw std::invalid_argument("fix " + fix.action + " needs a \"" + key + "\" value");
    return std::string(it->value().as_string());
}

FixEffect effect_of(const Fix &fix) {
    if (!fix.ready) throw std::invalid_argument("fix not ready: " + fix.describe());
    FixEffect e;
    if (fix.action == "set_env") {
        auto name = arg(fix, "name");
        bool path_list = name.size() >= 4 && name.compare(name.size() - 4, 4, "PATH") == 0;
        (path_list ? e.prepend_env : e.set_env)[name] = arg(fix, "value");
    } else if (fix.action == "reinstall") {
        auto tag = arg(fix, "accelerator");
        if (tag == "older") e.older_accelerator = true;
        else e.accelerator = tag;
        e.reinstall = true;
    } else if (fix.action == "purge_pip_cache") {
        e.purge_pip_cache = true;
        e.reinstall = true;
    } else if (fix.action == "recreate_env") {
        e.recreate_env = true;
    } else if (fix.action == "switch_cpu") {
        e.accelerator = "cpu";
        e.reinstall = true;
    } else {
        throw std::invalid_argument("unknown fix action \"" + fix.action + "\"");
    }
    return e;
}

}  // namespace gpuhost::recover
