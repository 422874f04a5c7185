#include "config.hpp"

#include "../core/log.hpp"
#include "../plugins/plugin_set.hpp"

#include "../core/files.hpp"
#include "../core/paths.hpp"

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost {

const ConfigKey *find_config_key(const std::string &name) {
    for (const auto &k : config_keys())
        if (name == k.name) return &k;
    return nullptr;
}

std::string config_env_name(const std::string &key) {
    std::string name = "GPUHOST_";
    for (char c : key) name += char(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

static const char *type_name(ConfigType t) {
    switch (t) {
    case ConfigType::string: return "a string";
    case ConfigType::string_list: return "a list of strings";
    case ConfigType::integer: return "an integer";
    }
    return "?";
}

std::string check_config_value(const ConfigKey &key, const json::value &value) {
    bool typed = false;
    switch (key.type) {
    case ConfigType::string: typed = value.is_string(); break;
    case ConfigType::boolean: typed = value.is_bool(); break;
    case ConfigType::integer: typed = value.is_int64() || (value.is_uint64() && value.as_uint64() < (1ull << 62)); break;
    case ConfigType::string_list:
        typed = value.is_array();
        if (typed)
            for (const auto &v : value.as_array()) typed = typed && v.is_string();
        break;
    }
    if (!typed) return std::string("must be ") + type_name(key.type) + ", not " + json::serialize(value);
    if (key.check) {
        json::value normal = value.is_uint64() ? json::value(std::int64_t(value.as_uint64())) : value;
        if (auto why = key.check(normal); !why.empty()) return "must be " + why + ", not " + json::serialize(value);
    }
    return "";
}

json::value parse_config_text(const ConfigKey &key, const std::string &text) {
    json::value value;
    switch (key.type) {
    case ConfigType::string: value = json::string(text); break;
    case ConfigType::integer: {
        std::size_t used = 0;
        long long n = 0;
        try {
            n = std::stoll(text, &used);
        } catch (const std::exception &) {
            used = 0;
        }
        if (used == 0 || used != text.size()) throw std::invalid_argument(std::string(key.name) + " must be an integer, not \"" + text + "\"");
        value = std::int64_t(n);
        break;
    }
    case ConfigType::boolean:
        if (text == "true" || text == "1" || text == "yes") value = true;
        else if (text == "false" || text == "0" || text == "no") value = false;
        else throw std::invalid_argument(std::string(key.name) + " must be true or false, not \"" + text + "\"");
        break;
    case ConfigType::string_list: {
        json::array list;
        std::stringstream in(text);
        for (std::string item; std::getline(in, item, ',');) {
            while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
            std::size_t start = item.find_first_not_of(" \t");
            if (start != std::string::npos) list.emplace_back(item.substr(start));
        }
        value = std::move(list);
        break;
    }
    }
    if (auto why = check_config_value(key, value); !why.empty())
        throw std::invalid_argument(std::string(key.name) + " " + why);
    return value;
}

const json::value &Config::get(const std::string &key) const {
    auto it = values.find(key);
    if (it == values.end()) throw std::logic_error("config key \"" + key + "\" is not in config_keys()");
    return it->second.value;
}

std::string Config::text(const std::string &key) const { return std::string(get(key).as_string()); }

std::vector<std::string> Config::list(const std::string &key) const {
    std::vector<std::string> out;
    for (const auto &v : get(key).as_array()) out.emplace_back(v.as_string());
    return out;
}

std::int64_t Config::integer(const std::string &key) const { return get(key).to_number<std::int64_t>(); }

bool Config::boolean(const std::string &key) const { return get(key).as_bool(); }

void Config::set_text(const std::string &key, const std::string &text, const std::string &origin) {
    const ConfigKey *k = find_config_key(key);
    if (!k) throw std::invalid_argument("unknown setting \"" + key + "\"");
    try {
        values[key] = {parse_config_text(*k, text), origin};
    } catch (const std::invalid_argument &e) {
        throw std::invalid_argument(origin + ": " + e.what());
    }
}

fs::path user_config_file() { return paths::config_dir() / "gpuhost.json"; }

std::optional<fs::path> project_config_file(fs::path start) {
    std::error_code ec;
    if (start.empty()) start = fs::current_path(ec);
    if (ec || start.empty()) return std::nullopt;
    fs::path user = fs::weakly_canonical(user_config_file(), ec);
    fs::path home = fs::weakly_canonical(paths::home(), ec);
    for (fs::path dir = start;; dir = dir.parent_path()) {
        fs::path candidate = dir / "gpuhost.json";
        if (fs::is_regular_file(candidate, ec) && fs::weakly_canonical(candidate, ec) != user) {
            // A settings file someone else could have written (say /tmp/gpuhost.json)
            // could turn on auto_fix or point envs_dir anywhere: ignore it, loudly.
            std::string why = insecure_reason(candidate);
            if (why.empty()) why = insecure_reason(dir);
            if (why.empty()) return candidate;
            log::warn("project settings " + candidate.string() + " ignored: " + why);
        }
        // Projects live below the home folder (or anywhere, for a user without one):
        // never climb past it into folders shared with other users.
        if (dir == home || dir == dir.parent_path()) return std::nullopt;
    }
}

json::object read_config_file(const fs::path &file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return {};
    json::value value = read_json_file(file);
    if (!value.is_object()) throw FileError(file.string() + ": must hold a JSON object of settings");
    for (const auto &[name, v] : value.as_object()) {
        const ConfigKey *key = find_config_key(std::string(name));
        if (!key) {
            std::string known;
            for (const auto &k : config_keys()) known += (known.empty() ? "" : ", ") + std::string(k.name);
            throw FileError(file.string() + ": unknown key \"" + std::string(name) + "\" (known: " + known + ")");
        }
        if (auto why = check_config_value(*key, v); !why.empty())
            throw FileError(file.string() + ": key \"" + std::string(name) + "\" " + why);
    }
    return value.as_object();
}

Config load_config() {
    Config config;
    for (const auto &k : config_keys()) config.values[k.name] = {json::parse(k.default_json), "default"};
    auto apply_file = [&](const fs::path &file) {
        for (const auto &[name, v] : read_config_file(file)) {
            json::value normal = v.is_uint64() ? json::value(std::int64_t(v.as_uint64())) : v;
            config.values[std::string(name)] = {normal, file.string()};
        }
    };
    apply_file(user_config_file());
    if (auto project = project_config_file()) apply_file(*project);
    for (const auto &k : config_keys()) {
        std::string var = config_env_name(k.name);
        if (const char *v = std::getenv(var.c_str())) {
            try {
                config.set_text(k.name, v, var);
            } catch (const std::invalid_argument &e) {
                throw FileError(std::string("environment variable ") + e.what());
            }
        }
    }
    return config;
}

}  // namespace gpuhost
