#include "cli_support.hpp"

#include "../core/files.hpp"
#include "../core/log.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace gpuhost::cli {

void add_common(po::options_description &options, Common &common, bool with_sysroot) {
    options.add_options()
        ("json", po::bool_switch(&common.json), "print JSON on stdout instead of a table")
        ("verbose,v", po::bool_switch()->notifier([&common](bool v) { if (v) common.verbosity = std::max(common.verbosity, 1); }),
         "say more on stderr")
        ("debug", po::bool_switch()->notifier([&common](bool d) { if (d) common.verbosity = 2; }),
         "debug messages on stderr")
        ("quiet,q", po::bool_switch()->notifier([&common](bool q) { if (q) common.verbosity = -1; }),
         "only errors on stderr")
        ("help,h", "show this help");
    if (with_sysroot)
        options.add_options()("sysroot",
                              po::value<std::string>(&common.sysroot)->notifier([](const std::string &dir) {
                                  // A typo must not replay as an empty machine.
                                  std::error_code ec;
                                  if (!std::filesystem::is_directory(dir, ec))
                                      throw po::error("--sysroot " + dir + ": no such folder (a recording made by "
                                                      "gpuhost snapshot DIR)");
                              }),
                              "read /proc, /sys, /dev and tool outputs from a recorded machine (gpuhost snapshot)");
}

static bool is_positional(const po::positional_options_description *positional, const std::string &name) {
    if (!positional) return false;
    // An unlimited positional (max_total_count ~0u) repeats its last name: 8 positions cover every command.
    for (unsigned i = 0; i < std::min(positional->max_total_count(), 8u); ++i)
        if (positional->name_for_position(i) == name) return true;
    return false;
}

static std::string upper(std::string s) {
    for (char &c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

bool parse(const std::string &command, const std::string &synopsis, const std::string &description,
           po::options_description &options, const std::vector<std::string> &args, po::variables_map &vm,
           const po::positional_options_description *positional) {
    try {
        auto parser = po::command_line_parser(args).options(options);
        if (positional) parser.positional(*positional);
        auto parsed = parser.run();
        // Without a positional description Boost keeps stray words quietly; a
        // command that takes none says so instead.
        for (const auto &o : parsed.options)
            if (o.position_key >= 0 && !positional)
                throw UsageError("gpuhost " + command + ": unexpected argument \"" +
                                 (o.value.empty() ? o.string_key : o.value.front()) + "\" (usage: gpuhost " + command +
                                 " " + synopsis + ")");
        po::store(parsed, vm);
        if (vm.count("help")) {
            // Positional arguments are in the synopsis; their --name is an implementation detail.
            po::options_description shown("options");
            for (const auto &o : options.options())
                if (!is_positional(positional, o->long_name())) shown.add(o);
            std::cout << "usage: gpuhost " << command << " " << synopsis << "\n\n" << description << "\n\n"
                      << shown << "\n";
            return false;
        }
        po::notify(vm);
    } catch (const po::required_option &e) {
        std::string name = e.get_option_name();
        while (!name.empty() && name.front() == '-') name.erase(0, 1);
        if (is_positional(positional, name))
            throw UsageError("gpuhost " + command + ": missing " + upper(name) + " (usage: gpuhost " + command + " " +
                             synopsis + ")");
        throw UsageError("gpuhost " + command + ": " + e.what() + " (see gpuhost " + command + " --help)");
    } catch (const po::error &e) {
        throw UsageError("gpuhost " + command + ": " + e.what() + " (see gpuhost " + command + " --help)");
    }
    return true;
}

void apply_verbosity(const Common &common) {
    if (common.verbosity < 0) log::set_level(log::Level::error);
    else if (common.verbosity == 1) log::set_level(log::Level::info);
    else if (common.verbosity >= 2) log::set_level(log::Level::debug);
}

boost::json::object with_schema(boost::json::object value) {
    if (value.contains("schema")) return value;
    boost::json::object out;
    out.reserve(value.size() + 1);
    out["schema"] = kJsonSchema;
    for (auto &kv : value) out[kv.key()] = std::move(kv.value());
    return out;
}

void print_json(const boost::json::value &value) {
    std::cout << pretty_json(value.is_object() ? boost::json::value(with_schema(value.as_object())) : value)
              << std::flush;
}

std::string Table::render() const {
    std::vector<size_t> width;
    for (const auto &row : rows_)
        for (size_t i = 0; i < row.size(); ++i) {
            if (width.size() <= i) width.push_back(0);
            width[i] = std::max(width[i], row[i].size());
        }
    std::ostringstream out;
    for (const auto &row : rows_) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << "\n";
    }
    return out.str();
}

std::string human_bytes(double bytes) {
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
    return buf;
}

void check_backend_flag(const std::string &command, const std::string &flag, const std::string &value,
                        const std::vector<std::string> &known, bool auto_allowed) {
    if (auto_allowed && value == "auto") return;
    if (std::find(known.begin(), known.end(), value) != known.end()) return;
    std::string list;
    for (const auto &b : known) list += (list.empty() ? "" : ", ") + b;
    throw UsageError("gpuhost " + command + ": " + flag + " \"" + value +
                     "\" is not a backend any loaded plugin declares (" + list + (auto_allowed ? ", auto)" : ")"));
}

}  // namespace gpuhost::cli
