// Every gpuhost.json key, once. To add one: a row here (name, type, default as
// JSON, help, optional check), then read it with load_config().text / list /
// integer / boolean("your_key") where it is used. Its GPUHOST_<KEY> variable,
// `gpuhost config` and the checks of hand-edited files follow from the row.
#include "config.hpp"

#include "../plugins/manifest.hpp"

#include <cctype>

namespace json = boost::json;

namespace gpuhost {

// Backends are open (the plugins declare them): a setting names one by its
// shape; whether a loaded plugin declares it is checked where it is used.
static bool is_name(const json::string &s) { return is_backend_name(std::string(s)); }

static std::string backend_or_auto(const json::value &v) {
    return is_name(v.as_string()) ? "" : "a backend name ([a-z][a-z0-9_]{0,15}, see `gpuhost plugins`) or auto";
}
static std::string backend_or_empty(const json::value &v) {
    return v.as_string().empty() || is_name(v.as_string()) ? "" : "a backend name ([a-z][a-z0-9_]{0,15}) or \"\"";
}
static std::string backend_list(const json::value &v) {
    for (const auto &b : v.as_array())
        if (!is_name(b.as_string())) return "a list of backend names ([a-z][a-z0-9_]{0,15}, see `gpuhost plugins`)";
    return "";
}
static std::string installer_name(const json::value &v) {
    const auto &s = v.as_string();
    return s == "auto" || s == "uv" || s == "pip" ? "" : "auto, uv or pip";
}
static std::string probe_mode(const json::value &v) {
    const auto &s = v.as_string();
    return s == "auto" || s == "always" || s == "never" ? "" : "auto, always or never";
}
// A probe deadline that fits a steady_clock sum: 1 ms up to 10 minutes.
static std::string probe_deadline(const json::value &v) {
    auto n = v.as_int64();
    return n >= 1 && n <= 600000 ? "" : "a number of milliseconds from 1 to 600000 (10 minutes)";
}
static std::string up_to_30_days(const json::value &v) {
    auto n = v.as_int64();
    return n >= 1 && n <= 86400 * 30 ? "" : "a number of seconds from 1 to 2592000 (30 days)";
}
// Seconds that fit an int and a sane wait: 1 s up to a week.
static std::string up_to_a_week(const json::value &v) {
    auto n = v.as_int64();
    return n >= 1 && n <= 86400 * 7 ? "" : "a number of seconds from 1 to 604800 (a week)";
}

// An index location pip and uv both take: http(s):// or file://, no spaces.
static std::string index_location(const json::value &v) {
    std::string s(v.as_string());
    bool scheme = s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0 || s.rfind("file://", 0) == 0;
    for (unsigned char c : s)
        if (c <= 0x20 || c > 0x7e) scheme = false;
    return s.empty() || scheme ? "" : "\"\" or an http://, https:// or file:// URL without spaces";
}

const std::vector<ConfigKey> &config_keys() {
    static const std::vector<ConfigKey> keys = {
        {"preferred_backend", ConfigType::string, R"("auto")",
         "auto, or the backend to use when it has a usable device (else the next one, with a logged reason)",
         &backend_or_auto},
        {"backend_priority", ConfigType::string_list, R"([])",
         "backend order that breaks ties between equal scores (comma-separated in variables and `config set`); "
         "backends not listed follow, in the order their plugins' manifests give (\"priority\")",
         &backend_list},
        {"force_backend", ConfigType::string, R"("")",
         "strict: use exactly this backend or fail with exit code 4 and the reason", &backend_or_empty},
        {"device", ConfigType::string, R"("")",
         "one device: an index (\"1\" or \"cuda:1\"), a UUID or a PCI bus id"},
        {"probe_timeout_ms", ConfigType::integer, "5000",
         "how long each plugin's detection may take before it is killed", &probe_deadline},
        {"cache_ttl_s", ConfigType::integer, "3600", "how long a cached inventory stays valid", &up_to_30_days},
        {"probes", ConfigType::string, R"("auto")",
         "when the Vulkan and OpenCL probes run: auto (after the vendor plugins, only for a GPU-class PCI device "
         "none claimed, or for bench and kernel fallbacks), always, or never",
         &probe_mode},
        // gpuhost run
        {"envs_dir", ConfigType::string, R"("")",
         "where `run` keeps environments (<envs_dir>/<profile>); empty: ~/.local/share/gpuhost/envs"},
        {"accept_existing", ConfigType::boolean, "false",
         "`run` uses an existing environment as it is: no checks, no fixes (containers, pre-built systems)"},
        {"auto_fix", ConfigType::boolean, "false",
         "`run` lets the best-matching recovery rule apply its fix, then retries once"},
        {"installer", ConfigType::string, R"("auto")", "auto (uv when on PATH, else pip), uv or pip", &installer_name},
        {"index_url", ConfigType::string, R"("")",
         "the index for every package that is not an accelerator build (transformers, numpy...); empty: pip's or "
         "uv's own configuration (PIP_INDEX_URL, pip.conf, UV_INDEX_URL), else PyPI",
         &index_location},
        {"pytorch_index", ConfigType::string, R"("")",
         "a mirror standing in for https://download.pytorch.org/whl (its <tag>/ folders: cu126/, rocm6.4/, cpu/...); "
         "empty: PyTorch's own index",
         &index_location},
        {"lock_timeout_s", ConfigType::integer, "600",
         "how long `run` waits for another run holding the same environment", &up_to_a_week},
        {"install_timeout_s", ConfigType::integer, "1800", "how long one uv/pip install may take", &up_to_a_week},
    };
    return keys;
}

}  // namespace gpuhost
