// gpuhost.json settings in layers: built-in defaults, the user's file (XDG config
// dir), the nearest project gpuhost.json, GPUHOST_* variables, then flags.
// Every key is declared once in config_keys.cpp.
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost {

enum class ConfigType { string, string_list, integer, boolean };

struct ConfigKey {
    const char *name;          // "preferred_backend"; its variable is GPUHOST_PREFERRED_BACKEND
    ConfigType type;
    const char *default_json;  // the built-in value as JSON text
    const char *help;
    // Extra check of a well-typed value; returns why it is wrong, or "".
    std::string (*check)(const boost::json::value &value) = nullptr;
};

// The one table of keys. Add a key there (config_keys.cpp) and every layer,
// `gpuhost config` and the validation of hand-edited files know it.
const std::vector<ConfigKey> &config_keys();
const ConfigKey *find_config_key(const std::string &name);
std::string config_env_name(const std::string &key);  // GPUHOST_<KEY>

struct ConfigValue {
    boost::json::value value;
    std::string origin;  // "default", a file path, "GPUHOST_DEVICE", "--device"
};

struct Config {
    std::map<std::string, ConfigValue> values;  // every key of the table

    const boost::json::value &get(const std::string &key) const;
    std::string text(const std::string &key) const;
    std::vector<std::string> list(const std::string &key) const;
    std::int64_t integer(const std::string &key) const;
    bool boolean(const std::string &key) const;
    // A value from a flag or a variable, given as text; throws std::invalid_argument.
    void set_text(const std::string &key, const std::string &text, const std::string &origin);
};

std::filesystem::path user_config_file();
// gpuhost.json in start or its nearest parent that has one (never the user file).
std::optional<std::filesystem::path> project_config_file(std::filesystem::path start = {});

// Reads and checks one file: unknown keys and wrong types throw FileError
// naming the file and the key. A missing file is an empty object.
boost::json::object read_config_file(const std::filesystem::path &file);
// Turns text (a flag, a variable, `config set`) into the key's type, checked;
// throws std::invalid_argument with the reason.
boost::json::value parse_config_text(const ConfigKey &key, const std::string &text);
// Checks a JSON value against the key; returns why it is wrong, or "".
std::string check_config_value(const ConfigKey &key, const boost::json::value &value);

// Defaults, then the user file, the project file and GPUHOST_* variables.
Config load_config();

}  // namespace gpuhost
