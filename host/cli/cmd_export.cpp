// gpuhost export FORMAT | --all DIR: the inventory in the formats fleet tools
// read (NFD node labels, Slurm GRES, Prometheus textfile metrics, wheel-variant
// properties), so their own engines schedule and watch the accelerators.
#include "../core/files.hpp"
#include "../core/paths.hpp"
#include "../export/fleet_view.hpp"
#include "../export/label_text.hpp"
#include "../export/render.hpp"
#include "../policy/config.hpp"
#include "../policy/selection.hpp"
#include "../policy/selection_builds.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "plan_inputs.hpp"

#include <gpuhost/sysroot.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace gpuhost::cli {

namespace {

// The slurm.conf NodeName: the recorded or live host name; an inventory file
// does not say which machine it came from.
std::string node_name_of(const sdk::Sysroot *machine) {
    if (!machine) return "localhost";
    if (!machine->is_live()) {
        for (const char *file : {"/proc/sys/kernel/hostname", "/etc/hostname"})
            if (auto name = machine->read_line(file); name && !name->empty()) return *name;
        return "localhost";
    }
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) == 0 && buf[0]) return buf;
    return "localhost";
}

bool plain_name(const std::string &s) {
    return !s.empty() && s.size() <= 253 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

// Fails before anything is detected or written when a folder cannot take files.
void check_writable_folder(const fs::path &dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw WriteError(dir.string() + ": cannot create this folder (" + (ec ? ec.message() : "a file is in the way") +
                         "); choose another --output/--all folder");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw WriteError(dir.string() + ": this user cannot write here; choose another folder or fix its permissions");
}

}  // namespace

int run_export(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common);
    std::string format, inventory_file, output, all_dir, bench_file, envs_dir;
    fleet::ExportOptions ex;
    options.add_options()
        ("format", po::value<std::string>(&format), "nfd | slurm | prometheus | variants")
        ("all", po::value<std::string>(&all_dir), "write every format under DIR/nfd, DIR/slurm, DIR/prometheus, DIR/variants")
        ("inventory", po::value<std::string>(&inventory_file), "export a `gpuhost detect --json` document instead of detecting")
        ("output", po::value<std::string>(&output), "write the file here (atomically) instead of printing it")
        ("prefix", po::value<std::string>(&ex.label_prefix), "nfd: label prefix (default gpuhost.io)")
        ("ttl", po::value<long long>(&ex.ttl_seconds), "nfd: seconds until NFD drops the labels (default 3600)")
        ("node-name", po::value<std::string>(&ex.node_name), "slurm: the NodeName (default: the host name; localhost for --inventory)")
        ("bench", po::value<std::string>(&bench_file), "prometheus: figures from a `gpuhost bench --json` file")
        ("envs-dir", po::value<std::string>(&envs_dir), "where gpuhost environments live, for last-verified times (default: envs_dir setting)");
    po::positional_options_description positional;
    positional.add("format", 1);
    po::variables_map vm;
    if (!parse("export", "FORMAT [--output FILE] | --all DIR [--inventory FILE] [options]",
               "Writes the inventory for fleet tools. FORMAT:\n"
               "  nfd         node-feature-discovery local feature file (features.d/): gpuhost.io/ labels\n"
               "              per vendor and per accelerator, with a # +expiry-time= directive\n"
               "  slurm       gres.conf lines (Name=gpu Type=... File=... [Cores=...]) and the slurm.conf\n"
               "              Gres= fragment, or AutoDetect= when slurmd can find the GPUs itself\n"
               "  prometheus  a node-exporter textfile (*.prom): info, usable, memory, last verified, bench\n"
               "  variants    wheel-variant properties (PEP 817/825) as the nvidia, amd, intel and x86_64\n"
               "              providers would report them, per device and machine-wide\n"
               "Files are written to a dot-file and renamed, so NFD and node-exporter never read half a\n"
               "file, and an existing file stays as it was when writing fails. --all DIR is for a systemd\n"
               "timer or a DaemonSet (examples/fleet/). The best build per device is the one `select` shows.",
               options, args, vm, &positional))
        return kOk;
    apply_verbosity(common);

    if (all_dir.empty() && format.empty())
        throw UsageError("gpuhost export: missing FORMAT (nfd, slurm, prometheus or variants) or --all DIR");
    if (!all_dir.empty() && !format.empty())
        throw UsageError("gpuhost export: give FORMAT or --all DIR, not both");
    if (!all_dir.empty() && !output.empty()) throw UsageError("gpuhost export: --output is for one FORMAT; --all takes a folder");
    const auto &formats = fleet::export_formats();
    if (!format.empty() && std::find(formats.begin(), formats.end(), format) == formats.end())
        throw UsageError("gpuhost export: unknown format \"" + format + "\" (nfd, slurm, prometheus or variants)");
    if (!fleet::is_dns_subdomain(ex.label_prefix))
        throw UsageError("gpuhost export: --prefix \"" + ex.label_prefix +
                         "\" is not a DNS subdomain (lower-case letters, digits, '-' and '.', like gpuhost.io)");
    if (ex.ttl_seconds < 1 || ex.ttl_seconds > 365LL * 24 * 3600)
        throw UsageError("gpuhost export: --ttl must be between 1 and 31536000 seconds");
    if (vm.count("node-name") && !plain_name(ex.node_name))
        throw UsageError("gpuhost export: --node-name \"" + ex.node_name + "\" must be letters, digits, '-', '_' or '.'");

    // Folders first: a path that cannot be written fails before any detection.
    if (!all_dir.empty())
        for (const auto &f : formats) check_writable_folder(fs::path(all_dir) / f);
    if (!output.empty()) {
        if (fs::is_directory(output)) throw UsageError("gpuhost export: --output " + output + " is a folder; name a file");
        check_writable_folder(fs::absolute(output).parent_path());
    }

    PlanContext ctx = obtain_plan_context(common.sysroot, inventory_file);
    ToolRunner tools(common.sysroot);
    Selection selection = select_device(ctx.inventory, ctx.plugins, policy_from_config(load_config()), Workload{}, tools);
    name_table_builds(selection, ctx.inventory);  // the build plan takes, as select shows it
    std::optional<sdk::Sysroot> machine;
    if (inventory_file.empty() || !common.sysroot.empty()) machine.emplace(common.sysroot);
    const sdk::Sysroot *m = machine ? &*machine : nullptr;

    fleet::FleetView view = fleet::build_fleet_view(ctx.inventory, selection, m);
    if (envs_dir.empty()) {
        envs_dir = load_config().text("envs_dir");
        if (envs_dir.empty()) envs_dir = (paths::data_dir() / "envs").string();
    }
    if (inventory_file.empty() && common.sysroot.empty()) fleet::add_verifications(view, envs_dir);
    else if (vm.count("envs-dir")) fleet::add_verifications(view, envs_dir);
    if (!bench_file.empty()) fleet::add_bench(view, bench_file);
    if (ex.node_name.empty()) ex.node_name = node_name_of(m);
    if (!plain_name(ex.node_name)) ex.node_name = "localhost";

    if (!all_dir.empty()) {
        json::array written;
        for (const auto &f : formats) {
            auto r = fleet::render_export(f, view, ex, m);
            for (const auto &file : r.files) {
                fs::path path = fs::path(all_dir) / f / file.name;
                write_file_atomic(path, file.content);
                written.emplace_back(path.string());
            }
        }
        if (common.json) print_json(json::object{{"dir", all_dir}, {"files", std::move(written)}});
        else
            for (const auto &p : written) std::cout << "wrote " << p.as_string().c_str() << "\n";
        return kOk;
    }

    auto r = fleet::render_export(format, view, ex, m);
    if (!output.empty()) write_file_atomic(output, r.files.front().content);
    if (common.json) {
        json::object out{{"format", format}, {"output", output.empty() ? json::value(nullptr) : json::value(output)}};
        for (auto &[k, v] : r.summary) out[k] = v;
        print_json(out);
    } else if (output.empty()) {
        std::cout << r.files.front().content;
    } else {
        std::cout << "wrote " << output << "\n";
    }
    return kOk;
}

}  // namespace gpuhost::cli
