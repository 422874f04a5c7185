// gpuhost plan: exactly what `run` would do for a profile on this machine
// (device, accelerator build, indexes, packages, environment), without doing it.
#include "../core/files.hpp"
#include "../core/log.hpp"
#include "../core/paths.hpp"
#include "../core/tool_runner.hpp"
#include "../detect/detector.hpp"
#include "../env/index_routing.hpp"
#include "../env/installer.hpp"
#include "../env/python_finder.hpp"
#include "../env/resolve.hpp"
#include "../lua/planning.hpp"
#include "../plan/plan_checks.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "detect_flags.hpp"
#include "plan_inputs.hpp"
#include "profile_planner.hpp"

#include <iostream>
#include <sstream>

namespace json = boost::json;

namespace gpuhost::cli {

// One requirements file holds both indexes, so the accelerator builds are pinned
// with the local label only their index carries (torch==2.9.0+cu126): no other
// index can stand in for them, and everything else comes from the default index.
static std::vector<std::string> index_lines(const Plan &p, const std::string &prefix) {
    std::vector<std::string> lines;
    if (!p.default_index_url.empty()) lines.push_back(prefix + "--index-url " + p.default_index_url);
    if (!p.index_url.empty()) {
        // A plan from before routing put everything on its index.
        lines.push_back(prefix + (env::routes_by_index(p) ? "--extra-index-url " : "--index-url ") + p.index_url);
        for (const auto &u : p.extra_index_urls) lines.push_back(prefix + "--extra-index-url " + u);
    }
    return lines;
}

static std::string routing_comment(const Plan &p) {
    if (!env::routes_by_index(p)) return "";
    std::string served;
    for (const auto &n : p.index_packages) served += (served.empty() ? "" : ", ") + n;
    return "# " + served + " come only from " + p.index_url +
           (p.index_label.empty() ? "" : " (pinned with its +" + p.index_label + " label, which no other index has)") +
           ";\n# everything else from " + env::default_index_words(p) + ".\n";
}

static std::string requirements(const Plan &p) {
    std::ostringstream out;
    out << "# gpuhost plan: profile " << p.profile << " on " << p.device_id << " (" << p.backend << ", "
        << p.accelerator << ")\n"
        << routing_comment(p);
    for (const auto &line : index_lines(p, "")) out << line << "\n";
    for (const auto &pkg : p.packages) out << env::with_index_label(p, pkg) << "\n";
    return out.str();
}

// "3.13" -> "3.14": conda's upper bound is exclusive.
static std::string next_minor(const std::string &v) {
    auto dot = v.find('.');
    if (dot == std::string::npos) return v;
    try {
        return v.substr(0, dot + 1) + std::to_string(std::stoi(v.substr(dot + 1)) + 1);
    } catch (...) {
        return v;
    }
}

static std::string conda(const Plan &p) {
    std::ostringstream out;
    out << "# gpuhost plan: profile " << p.profile << " on " << p.device_id << " (" << p.backend << ", "
        << p.accelerator << ")\n"
        << routing_comment(p) << "name: gpuhost-" << p.profile << "-" << p.accelerator << "\nchannels:\n  - conda-forge\ndependencies:\n"
        << "  - python>=" << p.python_min << ",<" << next_minor(p.python_max) << "\n  - pip\n  - pip:\n";
    for (const auto &line : index_lines(p, "    - ")) out << line << "\n";
    for (const auto &pkg : p.packages) out << "    - " << env::with_index_label(p, pkg) << "\n";
    if (!p.env.empty()) {
        out << "variables:\n";
        for (const auto &[k, v] : p.env) out << "  " << k << ": \"" << v << "\"\n";
    }
    return out.str();
}

static void print_text(const Plan &p) {
    // A device the plan did not take is the first thing a user needs to know
    // (the planner's notes that start with "passed over: ", scripts/lib/planner.lua).
    const std::string passed = "passed over: ";
    for (const auto &n : p.notes)
        if (n.rfind(passed, 0) == 0) std::cout << "passed over  " << n.substr(passed.size()) << "\n";
    std::cout << "profile      " << p.profile << " (" << p.profile_path << ")\n"
              << "device       " << p.device_id << "  " << p.device_name << "\n"
              << "backend      " << p.backend << ", accelerator build " << p.accelerator << ", framework "
              << p.framework << "\n"
              << "python       " << p.python_min << " .. " << p.python_max << "\n"
              << "environment  " << p.env_path << " (profile env_version " << p.profile_env_version << ")\n";
    if (env::routes_by_index(p)) {
        auto routed = env::route(p, p.packages);
        std::string mine;
        for (const auto &s : routed.from_index) mine += (mine.empty() ? "" : " ") + s;
        std::cout << "index        " << p.index_url << " only: " << (mine.empty() ? "their dependencies" : mine)
                  << " (and the companions they pin)\n";
        for (const auto &u : p.extra_index_urls) std::cout << "             also " << u << " for those\n";
        std::cout << "             everything else: " << env::default_index_words(p) << "\n";
    } else {
        std::cout << "index        " << (p.index_url.empty() ? env::default_index_words(p) : p.index_url) << "\n";
        for (const auto &u : p.extra_index_urls) std::cout << "extra index  " << u << "\n";
    }
    std::cout << "packages     ";
    for (std::size_t i = 0; i < p.packages.size(); ++i) std::cout << (i ? " " : "") << p.packages[i];
    std::cout << "\n";
    for (const auto &[k, v] : p.env) std::cout << "env          " << k << "=" << v << "\n";
    std::cout << "\nsteps:\n";
    for (std::size_t i = 0; i < p.steps.size(); ++i) std::cout << "  " << i + 1 << ". " << p.steps[i] << "\n";
    std::cout << "\nwhy:\n";
    for (const auto &n : p.notes) std::cout << "  - " << n << "\n";
}

static int plan_command(const std::vector<std::string> &args);

// plan --check: the resolution `run` does first, on its own, with the exact versions.
static int check_plan_resolves(const Plan &plan, const std::string &installer, const std::string &wheelhouse, bool json_out) {
    env::InstallOptions options;
    options.tool = env::choose_installer(installer, options.uv);
    options.wheelhouse = wheelhouse;
    auto found = env::query_interpreters(env::candidate_interpreters());
    auto py = env::pick_interpreter(found, plan.python_min, plan.python_max);
    if (!py) {
        std::cerr << "gpuhost plan --check: no Python " << plan.python_min << ".." << plan.python_max
                  << " to resolve for (install one, e.g. pyenv install " << plan.python_max << ")\n";
        return kFailed;
    }
    env::ProcessLog log;
    env::Resolution r = env::resolve_plan(log, plan, py->executable, options);
    int code = r.status == env::Resolution::Status::ok ? kOk
               : r.status == env::Resolution::Status::failed ? kBadInput
                                                             : kFailed;
    if (json_out) {
        json::object o{{"plan", plan.to_json()}, {"python", py->version}, {"installer", options.tool},
                       {"resolution", r.to_json()}, {"processes", log.to_json()}};
        std::cout << pretty_json(o) << "\n";
        return code;
    }
    if (r.status != env::Resolution::Status::ok) {
        std::cerr << "gpuhost plan --check: " << r.message << "\n";
        if (r.status == env::Resolution::Status::failed)
            std::cerr << "  nothing was installed; fix the profile's packages (or --accelerator), or the index settings "
                         "(gpuhost config get index_url / pytorch_index)\n";
        return code;
    }
    std::cout << "resolved for Python " << py->version << " with " << options.tool << "'s resolver: "
              << r.packages.size() << " package(s)\n";
    for (const auto &p : r.packages) std::cout << "  " << p.name << "==" << p.version << "  (" << p.source << ")\n";
    return kOk;
}

int run_plan(const std::vector<std::string> &args) {
    try {
        return plan_command(args);
    } catch (const lua::ScriptError &e) {
        std::cerr << "gpuhost: " << e.what() << "\n"
                  << "  a Lua script is broken: fix that file (a copy under " << (paths::data_dir() / "scripts").string()
                  << " can simply be deleted to use the installed one); --debug shows the traceback\n";
        return kBadInput;
    }
}

static int plan_command(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common);
    std::string profile_arg, format, device, inventory_file, output, accelerator;
    bool show_smoke = false, check = false, allow_direct = false;
    std::string installer = "auto", wheelhouse;
    options.add_options()
        ("profile", po::value(&profile_arg)->default_value("vector_search"), "profile name or .lua file")
        ("format", po::value(&format), "requirements | conda: print that file instead")
        ("output,o", po::value(&output), "write the --format file (or --json) here, atomically, not to stdout")
        ("device", po::value(&device), "use this device: an index, id (cuda:1), UUID or PCI bus id, as for select")
        ("inventory", po::value(&inventory_file), "plan for a recorded inventory (detect --json output)")
        ("accelerator", po::value(&accelerator), "use this build (cu118, rocm6.4, xpu, mps, cpu) instead of the best one")
        ("show-smoke", po::bool_switch(&show_smoke), "print the Python smoke test that `run` will execute, and nothing else")
        ("check", po::bool_switch(&check),
         "resolve every package against its index now (pip's or uv's resolver, nothing installed) and print the exact "
         "versions `run` would install; exit 3 naming the package and index when one does not exist")
        ("installer", po::value(&installer), "with --check: resolve with auto (uv when on PATH), uv or pip")
        ("wheelhouse", po::value(&wheelhouse), "with --check: resolve from these wheels only, as `run --wheelhouse` installs")
        ("allow-direct-references", po::bool_switch(&allow_direct),
         "let the profile name packages as `name @ URL` (https, http or file:///), as `run --allow-direct-references`");
    DetectFlags flags;
    add_detect_flags(options, flags);
    po::positional_options_description positional;
    positional.add("profile", 1);
    po::variables_map vm;
    if (!parse("plan", "[PROFILE] [options]",
               "Shows exactly what `gpuhost run PROFILE` would do on this machine, without doing it:\n"
               "the device, the accelerator build (cu128, rocm6.4, mps, cpu...), index URLs, packages\n"
               "with versions, environment variables, the environment path and the steps.\n"
               "PROFILE is a .lua file or a name on the script path (default: vector_search);\n"
               "scripts are searched in a scripts/ beside the profile, ~/.local/share/gpuhost/scripts,\n"
               "then the installed share/gpuhost/scripts, a file at a time.",
               options, args, vm, &positional))
        return kOk;
    apply_verbosity(common);
    if (!format.empty() && format != "requirements" && format != "conda")
        throw UsageError("plan: --format must be requirements or conda (got " + format + ")");

    allow_direct_references(allow_direct);
    ProfilePlanRequest request{profile_arg, common.sysroot, inventory_file, device, accelerator, flags};
    ProfilePlan planned;
    try {
        planned = plan_profile(request);
    } catch (const lua::NoDeviceError &e) {
        std::cerr << "gpuhost plan: " << e.what() << "\n";
        return kNoDevice;
    }
    auto &engine = planned.engine;
    lua::PlanResult &result = planned.result;
    log::debug("lua: " + std::to_string(engine->memory_in_use() / 1024) + " KiB in use after planning");
    if (check) return check_plan_resolves(result.plan, installer, wheelhouse, common.json);
    std::string text;
    if (show_smoke) text = result.plan.smoke_test.empty() ? "# this plan has no smoke test\n" : result.plan.smoke_test + "\n";
    else if (format == "requirements") text = requirements(result.plan);
    else if (format == "conda") text = conda(result.plan);
    else if (common.json || !output.empty()) text = pretty_json(result.plan.to_json()) + "\n";
    if (!output.empty()) {
        write_file_atomic(output, text);
        std::cerr << "gpuhost plan: wrote " << output << "\n";
    } else if (!text.empty()) {
        std::cout << text;
    } else {
        print_text(result.plan);
    }
    return kOk;
}

}  // namespace gpuhost::cli
