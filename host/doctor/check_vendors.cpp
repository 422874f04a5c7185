// Doctor checks that come from vendor folders (the manifest's scripts.doctor,
// sdk/docs/VENDORS.md). They run in the sandboxed Lua engine and reach the
// machine only through the sysroot and the tool runner, as plugins do. A check
// that fails to run is reported with its file and line; the others still run.
#include "../lua/vendors.hpp"
#include "doctor.hpp"

#include <cstdlib>
#include <sstream>

namespace json = boost::json;

namespace gpuhost::doctor {

namespace {

Severity severity_named(const std::string &s, bool &ok) {
    ok = s == "ok";
    if (s == "warning") return Severity::warning;
    if (s == "error") return Severity::error;
    if (s == "critical") return Severity::critical;
    return Severity::info;
}

std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

}  // namespace

void check_vendors(const Context &ctx, Report &report) {
    lua::Engine engine;
    engine.add_function("sysroot_read", [&](lua::Call &c) {
        if (auto t = ctx.root.read(c.string(1))) c.push(*t);
        else c.push_nil();
    });
    engine.add_function("sysroot_exists", [&](lua::Call &c) { c.push(ctx.root.exists(c.string(1))); });
    engine.add_function("sysroot_list", [&](lua::Call &c) {
        json::array list;
        for (const auto &e : ctx.root.list(c.string(1))) list.emplace_back(e);
        c.push(json::value(list));
    });
    // The dynamic loader's LD_LIBRARY_PATH folders, on a live machine only: a
    // recording holds files, not the user's environment.
    engine.add_function("library_path", [&](lua::Call &c) {
        json::array list;
        const char *value = ctx.live() ? std::getenv("LD_LIBRARY_PATH") : nullptr;
        std::stringstream dirs(value ? value : "");
        for (std::string dir; std::getline(dirs, dir, ':');)
            if (!dir.empty()) list.emplace_back(dir);
        c.push(json::value(list));
    });
    engine.add_function("tool", [&](lua::Call &c) {
        auto out = ctx.tools.run(c.strings(1));
        c.push(json::value(json::object{{"exit_code", out.exit_code}, {"output", out.output}}));
    });
    auto vendors = lua::load_vendor_scripts(engine);
    for (const auto &p : vendors.problems)
        report.add("vendor_scripts", Severity::warning, "vendor script left out: " + p.describe(),
                   "fix or remove the file (gpuhost plugins lists it)");
    // Each vendor's checks, called one by one so a broken one is named and the rest run.
    auto runner = engine.run_string(R"(
      return function()
        local out = {}
        for _, v in ipairs(gpuhost.vendor_doctor or {}) do
          for i, check in ipairs(type(v.checks) == "table" and v.checks or {}) do
            local id = type(check) == "table" and check.id or nil
            if type(check) ~= "table" or type(check.run) ~= "function" then
              out[#out + 1] = { plugin = v.plugin, file = v.file, error = "check " .. i .. " needs id and run = function" }
            else
              local ok, result = pcall(check.run)
              if not ok then
                out[#out + 1] = { plugin = v.plugin, file = v.file, id = id, error = tostring(result) }
              elseif result ~= nil then
                out[#out + 1] = { plugin = v.plugin, file = v.file, id = id, result = result }
              end
            end
          end
        end
        return out
      end)",
                                     "vendor doctor");
    json::value results;
    try {
        results = runner.call({}, "vendor doctor").to_json();
    } catch (const lua::ScriptError &e) {
        report.add("vendor_scripts", Severity::warning, std::string("vendor doctor checks failed: ") + e.what());
        return;
    }
    if (!results.is_array()) return;
    for (const auto &r : results.as_array()) {
        if (!r.is_object()) continue;
        const auto &o = r.as_object();
        std::string check = "vendor:" + text(o, "plugin") + (text(o, "id").empty() ? "" : "/" + text(o, "id"));
        if (auto err = text(o, "error"); !err.empty()) {
            report.add(check, Severity::warning, "vendor check failed: " + err, "see " + text(o, "file"));
            continue;
        }
        auto res = o.if_contains("result");
        // One finding, or a list of them.
        json::array list;
        if (res && res->is_object()) list.push_back(*res);
        else if (res && res->is_array()) list = res->as_array();
        if (list.empty()) {
            report.add(check, Severity::warning, "vendor check returned no finding", "see " + text(o, "file"));
            continue;
        }
        for (const auto &item : list) {
            if (!item.is_object()) continue;
            const auto &f = item.as_object();
            bool ok = false;
            Severity s = severity_named(text(f, "severity"), ok);
            std::string name = text(f, "check").empty() ? check : text(f, "check");
            auto &finding = report.add(name, s, text(f, "summary"), ok ? std::string() : text(f, "fix"), text(f, "rule"));
            if (auto d = f.if_contains("details"); d && d->is_object()) finding.details = d->as_object();
        }
    }
}

}  // namespace gpuhost::doctor
