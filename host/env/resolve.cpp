#include "resolve.hpp"

#include "../core/files.hpp"
#include "dist_metadata.hpp"
#include "index_routing.hpp"
#include "requirements.hpp"

#include "../plan/plan_checks.hpp"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::env {

json::object Resolution::to_json() const {
    static const char *names[] = {"ok", "failed", "skipped"};
    json::array list;
    for (const auto &p : packages) list.push_back(json::object{{"name", p.name}, {"version", p.version}, {"source", p.source}});
    json::object o{{"status", names[int(status)]}, {"packages", std::move(list)}};
    if (!message.empty()) o["message"] = message;
    if (!package.empty()) o["package"] = package;
    if (!index.empty()) o["index"] = index;
    return o;
}

std::string failed_requirement(const std::string &text) {
    // pip: "No matching distribution found for torch==0.0.1"; "satisfies the requirement torch==0.0.1 (from ...)"
    // uv:  "Because there is no version of torch==0.0.1 and ..."; "Because torch was not found in the package registry"
    for (const char *marker : {"No matching distribution found for ", "satisfies the requirement ",
                               "there is no version of ", "Because "}) {
        auto at = text.find(marker);
        if (at == std::string::npos) continue;
        at += std::string(marker).size();
        auto end = text.find_first_of(" \n\r", at);
        std::string req = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        while (!req.empty() && (req.back() == ',' || req.back() == '.')) req.pop_back();
        if (!req.empty() && !requirement_problem(req)) return req;
    }
    return {};
}

namespace {

// The resolver's error lines, without its progress chatter.
std::string error_lines(const std::string &output) {
    std::istringstream in(output);
    std::string line, out;
    bool uv_block = false;
    while (std::getline(in, line)) {
        bool keep = line.rfind("ERROR:", 0) == 0 || line.find("error:") != std::string::npos ||
                    line.find("\xC3\x97") != std::string::npos /* uv's "x" */ || uv_block;
        if (line.find("No solution found") != std::string::npos) uv_block = true;
        if (keep && !line.empty()) out += (out.empty() ? "" : "\n") + line;
    }
    return out.empty() ? output.substr(output.size() > 2000 ? output.size() - 2000 : 0) : out;
}

std::string authority(const std::string &url) {  // "https://download.pytorch.org"
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    auto slash = url.find('/', scheme + 3);
    return url.substr(0, slash);
}

class Resolver {
public:
    Resolver(ProcessLog &log, const Plan &plan, const std::string &python, const InstallOptions &options)
        : log_(log), plan_(plan), python_(python), options_(options) {}

    Resolution run();

private:
    ProcessLog &log_;
    const Plan &plan_;
    std::string python_;
    const InstallOptions &options_;
    Resolution result_;
    std::string scratch_;  // a private temporary folder for uv's input files

    enum class Where { accelerator, everything, wheelhouse };
    bool resolve(const std::vector<std::string> &specs, Where where, bool no_deps, std::vector<Distribution> &out);
    std::vector<std::string> source_args(Where where) const;
    std::string where_words(Where where) const;
};

std::vector<std::string> Resolver::source_args(Where where) const {
    std::vector<std::string> a;
    if (where == Where::wheelhouse) return {"--no-index", "--find-links", options_.wheelhouse};
    if (where == Where::accelerator) {
        a = {"--index-url", plan_.index_url};
        for (const auto &u : plan_.extra_index_urls) a.insert(a.end(), {"--extra-index-url", u});
        return a;
    }
    if (!routes_by_index(plan_) && !plan_.index_url.empty()) {
        // A plan from before routing: everything from its index, as the install does.
        a = {"--index-url", plan_.index_url};
        for (const auto &u : plan_.extra_index_urls) a.insert(a.end(), {"--extra-index-url", u});
        return a;
    }
    if (!plan_.default_index_url.empty()) a = {"--index-url", plan_.default_index_url};
    // The pinned accelerator builds resolve from their own index (the install holds them installed instead).
    if (routes_by_index(plan_)) {
        a.insert(a.end(), {"--extra-index-url", plan_.index_url});
        for (const auto &u : plan_.extra_index_urls) a.insert(a.end(), {"--extra-index-url", u});
    }
    return a;
}

std::string Resolver::where_words(Where where) const {
    if (where == Where::wheelhouse) return "the wheelhouse " + options_.wheelhouse;
    if (where == Where::accelerator || (!routes_by_index(plan_) && !plan_.index_url.empty())) return plan_.index_url;
    std::string w = default_index_words(plan_);
    if (routes_by_index(plan_)) w += " (with " + plan_.index_url + " for the pinned accelerator builds)";
    return w;
}

bool Resolver::resolve(const std::vector<std::string> &specs, Where where, bool no_deps, std::vector<Distribution> &out) {
    ProcessOptions po;
    po.timeout = options_.timeout;
    po.cancelled = options_.cancelled;
    po.die_with_parent = true;
    po.env_set = {{"PIP_NO_INPUT", "1"}, {"UV_PYTHON_DOWNLOADS", "never"}};
    if (where != Where::everything) po.env_unset = index_variables();
    ProcessResult r;
    bool uv = options_.tool == "uv";
    if (!uv) {
        std::vector<std::string> args = {"-m", "pip", "install", "--dry-run", "--ignore-installed",
                                         "--disable-pip-version-check", "--no-input", "--quiet", "--report", "-"};
        auto src = source_args(where);
        args.insert(args.end(), src.begin(), src.end());
        if (no_deps) args.push_back("--no-deps");
        args.push_back("--");
        args.insert(args.end(), specs.begin(), specs.end());
        r = log_.run(python_, args, po);
    } else {
        // uv pip compile reads requirements from a file: one in a private folder, removed after.
        if (scratch_.empty()) {
            std::string tmpl = (fs::temp_directory_path() / "gpuhost-resolve-XXXXXX").string();
            if (!mkdtemp(tmpl.data())) {
                result_.status = Resolution::Status::skipped;
                result_.message = "no temporary folder for uv's input";
                return false;
            }
            scratch_ = tmpl;
        }
        fs::path in = fs::path(scratch_) / "requirements.in";
        {
            std::ofstream f(in);
            for (const auto &s : specs) f << s << "\n";
        }
        std::vector<std::string> args = {"pip", "compile", "--python", python_, "--no-header", "--no-annotate", "--quiet"};
        auto src = source_args(where);
        args.insert(args.end(), src.begin(), src.end());
        if (where == Where::everything && routes_by_index(plan_))
            args.insert(args.end(), {"--index-strategy", "unsafe-best-match"});
        if (no_deps) args.push_back("--no-deps");
        args.push_back(in.string());
        r = log_.run(options_.uv, args, po);
    }
    result_.output += r.output + r.error_output;
    if (!r.ok()) {
        std::string text = r.started ? r.error_output + "\n" + r.output : r.start_error;
        result_.status = Resolution::Status::failed;
        result_.package = failed_requirement(text);
        result_.index = where_words(where);
        result_.message = (result_.package.empty() ? std::string("the packages") : result_.package) +
                          " could not be resolved on " + result_.index + ": " + error_lines(text);
        return false;
    }
    if (!uv) {
        json::value report;
        try {
            report = json::parse(r.output);
        } catch (const std::exception &e) {
            result_.status = Resolution::Status::failed;
            result_.message = std::string("pip's --report is not JSON: ") + e.what();
            return false;
        }
        auto *install = report.is_object() ? report.as_object().if_contains("install") : nullptr;
        if (!install || !install->is_array()) {
            result_.status = Resolution::Status::failed;
            result_.message = "pip's --report has no install list";
            return false;
        }
        for (const auto &item : install->as_array()) {
            if (!item.is_object()) continue;
            auto *meta = item.as_object().if_contains("metadata");
            if (!meta || !meta->is_object()) continue;
            Distribution d;
            auto field = [&](const char *k) {
                auto *v = meta->as_object().if_contains(k);
                return v && v->is_string() ? std::string(v->as_string()) : std::string();
            };
            d.name = normalize_name(field("name"));
            d.version = field("version");
            if (auto *rd = meta->as_object().if_contains("requires_dist"); rd && rd->is_array())
                for (const auto &x : rd->as_array())
                    if (x.is_string()) d.requires_dist.emplace_back(x.as_string());
            std::string url;
            if (auto *di = item.as_object().if_contains("download_info"); di && di->is_object())
                if (auto *u = di->as_object().if_contains("url"); u && u->is_string()) url = std::string(u->as_string());
            if (d.name.empty() || d.version.empty()) continue;
            // Where it came from: the accelerator index's host, or the default index.
            std::string source = where == Where::wheelhouse ? options_.wheelhouse
                                 : where == Where::accelerator || (routes_by_index(plan_) && !url.empty() &&
                                                                  authority(url) == authority(plan_.index_url) &&
                                                                  authority(plan_.index_url) != authority(plan_.default_index_url))
                                     ? plan_.index_url
                                     : default_index_words(plan_);
            result_.packages.push_back({d.name, d.version, source});
            out.push_back(std::move(d));
        }
    } else {
        std::istringstream lines(r.output);
        std::string line;
        while (std::getline(lines, line)) {
            auto eq = line.find("==");
            if (line.empty() || line[0] == '#' || line[0] == ' ' || eq == std::string::npos) continue;
            Distribution d;
            d.name = normalize_name(line.substr(0, eq));
            d.version = line.substr(eq + 2);
            if (auto sp = d.version.find_first_of(" ;\\"); sp != std::string::npos) d.version.resize(sp);
            std::string source = where == Where::wheelhouse ? options_.wheelhouse
                                 : where == Where::accelerator || served_by_index(plan_, d.name) ? plan_.index_url
                                                                                                 : default_index_words(plan_);
            result_.packages.push_back({d.name, d.version, source});
            out.push_back(std::move(d));
        }
    }
    return true;
}

Resolution Resolver::run() {
    struct Cleanup {
        std::string &dir;
        ~Cleanup() {
            std::error_code ec;
            if (!dir.empty()) fs::remove_all(dir, ec);
        }
    } cleanup{scratch_};
    std::vector<Distribution> got;
    if (!options_.wheelhouse.empty() || !routes_by_index(plan_)) {
        Where where = !options_.wheelhouse.empty() ? Where::wheelhouse : Where::everything;
        if (!resolve(plan_.packages, where, false, got)) return result_;
        result_.status = Resolution::Status::ok;
        return result_;
    }
    Routed routed = route(plan_, plan_.packages);
    std::vector<std::string> pins;
    std::set<std::string> asked;
    std::vector<std::string> want = routed.from_index;
    // The accelerator builds on their index alone, then (pip, which reports
    // metadata) the companions they pin that the index serves, in rounds.
    for (int round = 0; round < 5 && !want.empty(); ++round) {
        std::vector<Distribution> found;
        if (!resolve(want, Where::accelerator, true, found)) return result_;
        for (const auto &w : want) asked.insert(parse_requirement(w).name);
        want.clear();
        for (const auto &d : found) {
            pins.push_back(d.name + "==" + d.version);
            asked.insert(d.name);
            for (const auto &req : d.requires_dist) {
                if (needs_extra(req) || requirement_problem(req)) continue;
                std::string name = parse_requirement(req).name;
                if (served_by_index(plan_, name) && !asked.count(name)) {
                    asked.insert(name);
                    want.push_back(req);
                }
            }
        }
    }
    std::vector<std::string> everything = routed.from_default;
    for (const auto &p : pins)
        if (!requirement_problem(p)) everything.push_back(p);
    std::size_t accelerator_count = result_.packages.size();
    std::vector<Distribution> rest;
    if (!resolve(everything, Where::everything, false, rest)) return result_;
    // The second pass lists the pinned builds again: keep each package once, with its first source.
    std::vector<ResolvedPackage> unique(result_.packages.begin(), result_.packages.begin() + long(accelerator_count));
    for (std::size_t i = accelerator_count; i < result_.packages.size(); ++i) {
        bool seen = false;
        for (const auto &u : unique) seen = seen || u.name == result_.packages[i].name;
        if (!seen) unique.push_back(result_.packages[i]);
    }
    result_.packages = std::move(unique);
    result_.status = Resolution::Status::ok;
    return result_;
}

}  // namespace

Resolution resolve_plan(ProcessLog &log, const Plan &plan, const std::string &base_python, const InstallOptions &options) {
    if (plan.packages.empty()) {
        Resolution r;
        r.status = Resolution::Status::ok;
        return r;
    }
    if (options.tool != "uv") {
        // pip's resolver runs in the base interpreter; one without pip cannot answer.
        ProcessOptions po;
        po.timeout = std::chrono::seconds(60);
        auto probe = run_process(base_python, {"-m", "pip", "--version"}, po);
        if (!probe.ok()) {
            Resolution r;
            r.status = Resolution::Status::skipped;
            r.message = base_python + " has no pip to resolve with (install python3-pip, or use --installer uv)";
            return r;
        }
    }
    return Resolver(log, plan, base_python, options).run();
}

}  // namespace gpuhost::env
