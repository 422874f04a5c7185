// gpuhost config: show, get, set and unset settings in gpuhost.json.
#include "../core/files.hpp"
#include "../core/log.hpp"
#include "../plugins/plugin_set.hpp"
#include "../policy/config.hpp"
#include "../policy/policy_backends.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::cli {

// Backends are what the loaded plugins declare: a setting naming another one
// (a typo, or a plugin not installed yet) would make every command fail or
// quietly ignore it later, so `config set` refuses it now and lists the known ones.
static void check_backends_known(const std::string &key, const json::value &value) {
    if (key != "preferred_backend" && key != "force_backend" && key != "backend_priority") return;
    PluginSearchOptions search = default_search_options();
    search.defer_loading = true;  // manifests only
    if (auto why = unknown_backend_setting(key, value, known_backends(load_plugins(search))); !why.empty())
        throw UsageError("gpuhost config set: " + why + " (install its plugin first, or fix the name)");
}

static std::string key_help() {
    std::string text;
    for (const auto &k : config_keys())
        text += "  " + std::string(k.name) + " (default " + k.default_json + ", " + config_env_name(k.name) + ")\n      " +
                k.help + "\n";
    return text;
}

static const ConfigKey &known_key(const std::string &name) {
    const ConfigKey *key = find_config_key(name);
    if (!key) {
        std::string known;
        for (const auto &k : config_keys()) known += (known.empty() ? "" : ", ") + std::string(k.name);
        throw UsageError("gpuhost config: unknown key \"" + name + "\" (known: " + known + ")");
    }
    return *key;
}

static std::string shown(const json::value &v) { return v.is_string() ? std::string(v.as_string()) : json::serialize(v); }

// `config set KEY -1`: a VALUE that starts with '-' is a value, not an option,
// so it moves behind "--" where the option parser takes it as it is.
static std::vector<std::string> value_after_dashes(std::vector<std::string> args) {
    for (size_t i = 0; i + 2 < args.size(); ++i) {
        if (args[i] != "set") continue;
        if (args[i + 2].size() > 1 && args[i + 2][0] == '-' && args[i + 2] != "--") {
            std::string value = args[i + 2];
            args.erase(args.begin() + long(i) + 2);
            if (std::find(args.begin(), args.end(), "--") == args.end()) args.push_back("--");
            args.push_back(value);
        }
        break;
    }
    return args;
}

int run_config(const std::vector<std::string> &raw_args) {
    const std::vector<std::string> args = value_after_dashes(raw_args);
    po::options_description options("options");
    Common common;
    add_common(options, common, false);
    bool project = false;
    std::vector<std::string> words;
    options.add_options()("project", po::bool_switch(&project),
                          "edit the project's gpuhost.json (the nearest one above the current folder, else ./gpuhost.json)")
        ("words", po::value<std::vector<std::string>>(&words), "show | get KEY | set KEY VALUE | unset KEY");
    po::positional_options_description positional;
    positional.add("words", -1);
    po::variables_map vm;
    if (!parse("config", "show | get KEY | set KEY VALUE | unset KEY [--project]",
               "Settings come in layers, each overriding the one before: built-in defaults, the user's\n"
               "file (" + user_config_file().string() + "), the project's gpuhost.json (the current folder\n"
               "or its nearest parent that has one), GPUHOST_* environment variables, then command flags.\n"
               "show prints every key with its value and where it came from. set and unset edit the user\n"
               "file (or with --project the project file), written atomically. Lists are comma-separated.\n\nkeys:\n" +
                   key_help(),
               options, args, vm, &positional))
        return kOk;
    apply_verbosity(common);
    std::string action = words.empty() ? "show" : words[0];
    auto arity = [&](size_t n, const char *usage) {
        if (words.size() != n) throw UsageError(std::string("usage: gpuhost config ") + usage);
    };

    if (action == "show" || action == "get") {
        Config config = load_config();
        if (action == "get") {
            arity(2, "get KEY");
            const auto &v = config.values.at(known_key(words[1]).name);
            if (common.json)
                print_json(json::object{{"key", words[1]}, {"value", v.value}, {"origin", v.origin}});
            else std::cout << shown(v.value) << "\n";
            return kOk;
        }
        arity(1, "show");
        if (common.json) {
            json::object out;
            for (const auto &[k, v] : config.values) out[k] = json::object{{"value", v.value}, {"origin", v.origin}};
            print_json(out);
            return kOk;
        }
        Table table({"KEY", "VALUE", "FROM"});
        for (const auto &k : config_keys()) {
            const auto &v = config.values.at(k.name);
            table.add({k.name, shown(v.value), v.origin});
        }
        std::cout << table.render();
        return kOk;
    }
    if (action != "set" && action != "unset")
        throw UsageError("gpuhost config: unknown action \"" + action + "\" (show, get, set, unset)");

    fs::path file = user_config_file();
    if (project) file = project_config_file().value_or(fs::current_path() / "gpuhost.json");
    json::object settings = read_config_file(file);  // refuses to edit a broken file, naming it
    if (action == "set") {
        arity(3, "set KEY VALUE");
        const ConfigKey &key = known_key(words[1]);
        try {
            settings[key.name] = parse_config_text(key, words[2]);
        } catch (const std::invalid_argument &e) {
            throw UsageError(std::string("gpuhost config set: ") + e.what() + " (gpuhost config --help lists the keys)");
        }
        check_backends_known(key.name, settings[key.name]);
    } else {
        arity(2, "unset KEY");
        settings.erase(known_key(words[1]).name);
    }
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    write_file_atomic(file, pretty_json(settings));
    if (common.json) {
        // What the file now says, and the value every command will see (a GPUHOST_ variable may still win).
        const std::string &name = known_key(words[1]).name;
        Config now = load_config();
        const auto &effective = now.values.at(name);
        json::object out{{"action", action}, {"key", name}, {"file", file.string()},
                         {"effective", json::object{{"value", effective.value}, {"origin", effective.origin}}}};
        if (auto it = settings.find(name); it != settings.end()) out["value"] = it->value();
        else out["value"] = nullptr;
        print_json(out);
    } else {
        std::cerr << "gpuhost: " << file.string() << " updated\n";
    }
    return kOk;
}

}  // namespace gpuhost::cli
