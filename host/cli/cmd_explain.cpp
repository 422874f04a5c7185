// gpuhost explain: match a failure's text (pip output, a traceback, dmesg
// lines) against the recovery rules and say what went wrong and what to do.
#include "../core/files.hpp"
#include "../detect/inventory.hpp"
#include "../lua/engine.hpp"
#include "../lua/vendors.hpp"
#include "../recover/diagnose.hpp"
#include "../recover/table_builds.hpp"
#include "plan_inputs.hpp"
#include "../plugins/plugin_set.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

#include <cstdio>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unistd.h>

namespace json = boost::json;

namespace gpuhost::cli {

// A huge log is read at its start and end only (recover::read_log_window).
static std::string read_input(const std::string &file) {
    if (file == "-") return recover::read_log_window(std::cin);
    if (std::filesystem::is_directory(file)) throw FileError(file + ": is a folder; give the log file itself");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw FileError(file + ": cannot read the log file (check the path and permissions)");
    return recover::read_log_window(in);
}

// --fact gfx=gfx1031: anything the rules' placeholders or conditions use.
static void set_fact(recover::Facts &facts, const std::string &assignment) {
    auto eq = assignment.find('=');
    if (eq == std::string::npos) throw UsageError("explain: --fact wants KEY=VALUE (got " + assignment + ")");
    auto key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
    auto boolean = [&]() {
        if (value == "true" || value == "1" || value == "yes") return true;
        if (value == "false" || value == "0" || value == "no") return false;
        throw UsageError("explain: --fact " + key + " wants true or false (got " + value + ")");
    };
    if (key == "backend") facts.backend = value;
    else if (key == "os") facts.os = value;
    else if (key == "wsl") facts.wsl = boolean();
    else if (key == "container") facts.container = boolean();
    else if (key == "secure_boot") facts.secure_boot = boolean();
    else if (key == "kfd_access") facts.kfd_access = boolean();
    else if (key == "render_access") facts.render_access = boolean();
    else if (key == "nvidia_driver_loaded") facts.nvidia_driver_loaded = boolean();
    else if (key == "nouveau_loaded") facts.nouveau_loaded = boolean();
    else if (key == "slurm") facts.slurm = boolean();
    else if (key == "driver_version") facts.driver_version = value;
    else if (key == "gfx") facts.gfx = value;
    else if (key == "gfx_override") facts.gfx_override = value;
    else if (key == "compute_capability") {
        if (!recover::is_compute_capability(value))
            throw UsageError("explain: --fact compute_capability wants MAJOR.MINOR, as nvidia-smi --query-gpu=compute_cap "
                             "prints it (got " + value + ")");
        facts.compute_capability = value;
    }
    else if (key == "python") facts.python = value;
    else if (key == "venv") facts.venv = value;
    else if (key == "accelerator") facts.accelerator = value;
    else if (key == "profile") facts.profile = value;
    else
        throw UsageError("explain: unknown fact \"" + key +
                         "\" (known: backend, os, wsl, container, secure_boot, kfd_access, render_access, "
                         "nvidia_driver_loaded, nouveau_loaded, slurm, driver_version, gfx, gfx_override, compute_capability, "
                         "python, venv, accelerator, profile)");
}

static Inventory read_inventory(const std::string &file) {
    auto value = read_json_file(file);
    try {
        if (!value.is_object()) throw std::runtime_error("expected a JSON object");
        return Inventory::from_json(value.as_object());
    } catch (const std::runtime_error &e) {
        throw FileError(file + ": not an inventory: " + e.what() + " (write one with gpuhost detect --json)");
    }
}

// The failing device's record: --device, else the first GPU (usable ones first).
static json::object pick_device(const Inventory &inv, const std::string &id, const std::string &where) {
    if (!id.empty()) {
        if (const auto *d = inv.find(id)) return *d;
        throw UsageError("explain: no device \"" + id + "\" in " + where);
    }
    const json::object *fallback = nullptr;
    for (const auto &v : inv.devices) {
        if (!v.is_object()) continue;
        const auto &d = v.as_object();
        auto backend = d.if_contains("backend");
        if (!backend || !backend->is_string() || backend->as_string() == "cpu") continue;
        auto usable = d.if_contains("usable");
        if (usable && usable->is_bool() && usable->as_bool()) return d;
        if (!fallback) fallback = &d;
    }
    return fallback ? *fallback : json::object{};
}

static void print_why(const recover::Match &m) {
    if (m.by_words) {
        std::cout << "   why (the log's words that weigh most for " << m.id << "'s known failures, where each first appears):\n";
        for (const auto &e : m.why) std::cout << "     line " << e.line << ": " << e.pattern << "\n       " << e.text << "\n";
        return;
    }
    std::cout << "   why (lines of the log that matched " << m.id << "'s patterns):\n";
    for (const auto &e : m.why) {
        std::cout << "     line " << e.line << (e.required ? " [required]" : "") << ": /" << e.pattern << "/\n"
                  << "       " << e.text << "\n";
    }
    for (const auto &f : m.facts_from_log)
        std::cout << "   read from the log: " << f.pattern << " (line " << f.line << ": " << f.text << ")\n";
}

static void print_text(const recover::Diagnosis &d, bool why) {
    for (const auto &p : d.problems) std::cerr << "gpuhost: rule skipped: " << p << "\n";
    if (!d.matched()) {
        std::cout << "No recovery rule matches this text. Look for the first error line in the log; "
                     "`gpuhost doctor` checks the machine.\n";
        if (d.matches.empty()) return;
        std::cout << "Rules whose known failures share its words, as a weak guess (no fix is proposed):\n\n";
    } else if (d.matches.front().by_keywords)
        std::cout << "No rule's patterns match this text. Rules whose keywords it names, as a guess:\n\n";
    int n = 0;
    for (const auto &m : d.matches) {
        char score[64];
        std::snprintf(score, sizeof score, "score %.2f, confidence %.0f%%", m.score, m.confidence * 100);
        std::cout << (n ? "\n" : "") << ++n << ". " << m.id << "  [" << m.severity << ", " << score << "]\n"
                  << "   " << m.diagnosis << "\n";
        if (!m.conditions_met) {
            std::cout << "   ranked lower:";
            for (const auto &c : m.failed_conditions) std::cout << " " << c << ";";
            std::cout << "\n";
        }
        if (why && n == 1) print_why(m);
        else {
            std::cout << "   matched: ";
            for (std::size_t i = 0; i < m.matched.size(); ++i) std::cout << (i ? ", " : "") << "\"" << m.matched[i] << "\"";
            std::cout << "\n";
        }
        std::cout << "   steps:\n";
        for (std::size_t i = 0; i < m.steps.size(); ++i) std::cout << "     " << i + 1 << ") " << m.steps[i] << "\n";
        if (m.by_words) continue;  // a lead by words: no fix is proposed
        if (m.fix && m.by_keywords) std::cout << "   its fix (never applied for a guess): " << m.fix->describe() << "\n";
        else if (m.fix) std::cout << "   automatic fix (gpuhost run --auto-fix): " << m.fix->describe() << "\n";
    }
}

int run_explain(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common);
    std::string file, backend, plan_file, inventory_file, device;
    std::vector<std::string> fact_args;
    int top = 3;
    bool text_only = false, why = false;
    options.add_options()
        ("file", po::value(&file), "the log to read; - or absent: standard input")
        ("backend", po::value(&backend), "the backend the failure happened on (one a loaded plugin declares; see gpuhost plugins)")
        ("fact", po::value(&fact_args)->composing(),
         "KEY=VALUE known about the machine or environment, repeatable: gfx=gfx1031, compute_capability=8.6, "
         "python=PATH, venv=DIR, accelerator=cu128, profile=NAME, driver_version=..., os=, wsl=, container=, "
         "secure_boot=, kfd_access=, render_access=, nvidia_driver_loaded=, nouveau_loaded=, slurm= (inside a Slurm job; "
         "this machine's SLURM_JOB_ID says so)")
        ("plan", po::value(&plan_file), "facts from a plan (gpuhost plan --json): backend, accelerator, profile, venv, python")
        ("inventory", po::value(&inventory_file), "facts from a recorded inventory (gpuhost detect --json): backend, "
                                                  "driver_version, gfx or compute_capability of --device")
        ("device", po::value(&device), "the device of --inventory (or of the --sysroot recording) that failed (cuda:0...); default: the first GPU")
        ("top", po::value(&top)->default_value(3), "show at most N matches (0: all)")
        ("text-only", po::bool_switch(&text_only), "ignore this machine's facts (os, WSL, container, Secure Boot, device node access, loaded GPU modules): a log from elsewhere")
        ("why", po::bool_switch(&why), "show the lines of the log that matched each pattern of the chosen rule");
    po::positional_options_description positional;
    positional.add("file", 1);
    po::variables_map vm;
    if (!parse("explain", "[FILE|-] [options]",
               "Matches a failure's text (pip output, a Python traceback, dmesg lines) against the\n"
               "recovery rules (scripts/rules/*.lua) and prints the best matches with their confidence,\n"
               "a plain diagnosis and numbered steps. Steps are filled in from what is known: this\n"
               "machine's OS, WSL and container state (or the recording under --sysroot), --plan,\n"
               "--inventory, --fact and --backend (later ones win). A rule whose conditions fail (say,\n"
               "a ROCm rule with --backend cuda) ranks lower but is still shown. When no rule's patterns\n"
               "match, rules whose keywords (hints) the text names are shown as a guess, marked\n"
               "\"by_keywords\": true, and their fixes are never applied. When no hint matches either,\n"
               "rules are ranked by the words the text shares with their known failures (weights learned\n"
               "from public error texts, scripts/lib/word_weights.lua), marked \"by_words\": true as well:\n"
               "leads only (\"matched\": false, no fix).\n"
               "With --json:\n"
               "{\"matched\", \"matches\": [{\"id\", \"score\", \"by_keywords\", \"by_words\", \"steps\", \"fix\", \"why\": [{\"pattern\", \"line\",\n"
               "\"text\"}], ...}, best first], \"fix\", \"facts\", \"problems\"}. Patterns are RE2 expressions matched\n"
               "line by line; a log over 2 MiB is read at its first 256 KiB and last 1.75 MiB only, and\n"
               "line numbers count the lines of that window.\n\n"
               "exit codes: 0 a rule matched (by its patterns, or a guess by its keywords); 1 no rule matched (weak\n"
               "guesses by words may still be listed); 2 usage; 3 unreadable file or broken\n"
               "rules library (lib/rules.lua).",
               options, args, vm, &positional))
        return kOk;
    apply_verbosity(common);
    if (top < 0) throw UsageError("explain: --top must be 0 or more");
    if (file.empty()) {
        if (isatty(STDIN_FILENO))
            throw UsageError("explain: give a log file, or pipe the text in (gpuhost explain - < log.txt)");
        file = "-";
    }
    std::string text = read_input(file);

    recover::Facts facts;
    if (!plan_file.empty()) {
        auto value = read_json_file(plan_file);
        try {
            if (!value.is_object()) throw std::runtime_error("expected a JSON object");
            facts.add_plan(Plan::from_json(value.as_object()));
        } catch (const std::runtime_error &e) {
            throw FileError(plan_file + ": not a plan: " + e.what() + " (write one with gpuhost plan --json)");
        }
    }
    lua::Engine engine;
    lua::load_vendor_scripts(engine);  // vendor folders add their rules and their builds
    // The failing device: from --inventory, or detected in the recording under --sysroot.
    json::object failing;
    if (!inventory_file.empty()) {
        failing = pick_device(read_inventory(inventory_file), device, inventory_file);
    } else if (!common.sysroot.empty() && !text_only) {
        PlanContext ctx = obtain_plan_context(common.sysroot, "");
        failing = pick_device(ctx.inventory, device, common.sysroot);
    } else if (!device.empty()) {
        throw UsageError("explain: --device needs --inventory FILE or --sysroot DIR");
    }
    if (!failing.empty()) {
        facts.add_device(failing);
        // What the rules may suggest: the builds the tables offer for this device.
        facts.gpu_builds = recover::offered_gpu_builds(engine, failing);
    }
    for (const auto &f : fact_args) set_fact(facts, f);
    if (!backend.empty()) {
        // Only manifests are read: no plugin code runs for explain.
        PluginSearchOptions search = default_search_options();
        search.defer_loading = true;
        check_backend_flag("explain", "--backend", backend, load_plugins(search).backends());
        facts.backend = backend;
    }
    if (!text_only) facts.add_machine(sdk::Sysroot(common.sysroot));

    recover::RuleBook rules(engine);
    recover::DiagnoseOptions opts;
    opts.top = top;
    auto diagnosis = recover::diagnose(rules, text, facts, opts);
    if (common.json) {
        auto doc = diagnosis.to_json();
        doc.erase("apply");  // explain never applies anything
        doc.erase("why_not_applied");
        doc["facts"] = facts.to_json();
        doc["rules_loaded"] = rules.size();
        print_json(doc);
        for (const auto &p : diagnosis.problems) std::cerr << "gpuhost: rule skipped: " << p << "\n";
    } else {
        print_text(diagnosis, why);
    }
    return diagnosis.matched() ? kOk : kFailed;
}

}  // namespace gpuhost::cli
