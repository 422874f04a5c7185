#include "selection.hpp"

#include "../core/files.hpp"
#include "../core/tool_runner.hpp"
#include "../core/log.hpp"
#include "../detect/device_schema.hpp"
#include "../detect/probe_child.hpp"
#include "../detect/quarantine.hpp"
#include "config.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace gpuhost {

json::object Workload::to_json() const {
    json::object o{{"min_memory_mib", min_memory_mib}, {"precision", precision}};
    if (!framework.empty()) o["framework"] = framework;
    if (!profile.empty()) o["profile"] = profile;
    return o;
}

static json::array strings(const std::vector<std::string> &v) {
    json::array a;
    for (const auto &s : v) a.emplace_back(s);
    return a;
}

json::object Candidate::to_json() const {
    return {{"device", device_id}, {"plugin", plugin}, {"backend", backend},
            {"score", score},      {"reasons", strings(reasons)}, {"install", install}};
}

json::object Selection::to_json() const {
    json::array list;
    for (const auto &c : ranked) list.push_back(c.to_json());
    json::object o{{"candidates", std::move(list)}, {"why", strings(why)}};
    o["chosen"] = chosen ? json::value(chosen->device_id) : json::value(nullptr);
    if (!error.empty()) o["error"] = error;
    return o;
}

static std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

namespace {

// One device's replies from its plugin, or why it has none.
struct PluginAnswers {
    std::string failure;
    PluginReply install, score;
};

// Asks every device's plugin for its install contribution and its score. Each
// plugin answers in a child process (`__probe --calls`), all at once under the
// probe deadline, so a plugin that crashes or hangs there costs only its own
// devices; it also counts towards the plugin's quarantine, as in detection. With
// in_process (and in test programs without a gpuhost beside them) the plugins
// are called here.
std::vector<PluginAnswers> ask_plugins(const Inventory &inventory, const PluginSet &plugins, const Workload &workload,
                                       const ToolRunner &tools, bool in_process) {
    std::vector<PluginAnswers> answers(inventory.devices.size());
    std::string workload_text = json::serialize(workload.to_json());
    std::map<std::string, size_t> request_of;  // plugin -> index in requests
    std::vector<PluginCallsRequest> requests;
    std::vector<std::vector<size_t>> devices_of;  // request -> device indexes
    bool live = tools.sysroot().empty();
    Quarantine quarantine = live ? Quarantine::load() : Quarantine();
    fs::path program = in_process ? fs::path() : default_probe_program();
    for (size_t i = 0; i < inventory.devices.size(); ++i) {
        const auto &device = inventory.devices[i].as_object();
        std::string name = text(device, "plugin");
        auto plugin = plugins.find(name);
        if (!plugin) {
            answers[i].failure = "plugin " + name + " is not loaded";
            continue;
        }
        if (auto why = live ? quarantine.skip_reason(name) : std::nullopt) {
            answers[i].failure = "plugin " + name + " " + *why;
            continue;
        }
        std::string device_text = json::serialize(device);
        if (program.empty()) {
            answers[i].install = plugin->install(tools, device_text);
            answers[i].score = plugin->score(tools, device_text, workload_text);
            continue;
        }
        auto [at, added] = request_of.emplace(name, requests.size());
        if (added) {
            requests.push_back({plugin->manifest(), {}, workload_text});
            devices_of.emplace_back();
        }
        requests[at->second].devices.push_back(device_text);
        devices_of[at->second].push_back(i);
    }
    if (requests.empty()) return answers;
    auto timeout = std::chrono::milliseconds(load_config().integer("probe_timeout_ms"));
    auto results = call_plugins_isolated(requests, program, tools.sysroot(), timeout);
    for (size_t r = 0; r < results.size(); ++r) {
        const auto &result = results[r];
        if (!result.failure.empty()) {
            log::warn("plugin " + requests[r].manifest.name + ": its install/score calls failed (" + result.failure +
                      "); its devices score 0");
            if (live) quarantine.record(requests[r].manifest.name, true, "score/install: " + result.failure);
        }
        for (size_t k = 0; k < devices_of[r].size(); ++k) {
            PluginAnswers &a = answers[devices_of[r][k]];
            if (!result.failure.empty()) {
                a.failure = "score failed: " + result.failure;
            } else {
                a.install = result.replies[k].install;
                a.score = result.replies[k].score;
            }
        }
    }
    if (live) quarantine.save_or_warn();
    return answers;
}

Candidate score_one(const json::object &device, const PluginAnswers &answers) {
    Candidate c;
    c.device_id = text(device, "id");
    c.plugin = text(device, "plugin");
    c.backend = text(device, "backend");
    if (!answers.failure.empty()) {
        c.reasons.push_back(answers.failure);
        return c;
    }
    const auto &install = answers.install;
    if (install.ok()) {
        try {
            auto value = parse_json(install.text, c.plugin + " install reply");
            if (validate_install(value).empty()) c.install = value.as_object();
        } catch (const FileError &) {
        }
    }
    const auto &reply = answers.score;
    if (!reply.ok()) {
        c.reasons.push_back("score failed: " + reply.text);
        return c;
    }
    try {
        auto value = parse_json(reply.text, c.plugin + " score reply");
        if (auto errors = validate_score(value); !errors.empty()) {
            c.reasons.push_back("score reply breaks the schema: " + errors.front());
            return c;
        }
        c.score = int(value.at("score").as_int64());
        for (const auto &r : value.at("reasons").as_array()) c.reasons.emplace_back(r.as_string());
        // The record's own verdict wins over a high score: a device marked unusable
        // is picked only when its plugin's install contribution sets what makes it
        // usable (ROCm's HSA_OVERRIDE_GFX_VERSION), which the plan then sets.
        auto usable = device.if_contains("usable");
        auto env = c.install.if_contains("env");
        bool fixable = env && env->is_object() && !env->as_object().empty();
        if (usable && usable->is_bool() && !usable->as_bool() && !fixable && c.score > 0) {
            c.score = 0;
            c.reasons.push_back("unusable: " + text(device, "reason"));
        }
    } catch (const FileError &e) {
        c.reasons.push_back(e.what());
    }
    return c;
}

}  // namespace

Policy policy_from_config(const Config &config) {
    Policy p;
    p.preferred_backend = config.text("preferred_backend");
    p.backend_priority = config.list("backend_priority");
    p.force_backend = config.text("force_backend");
    p.device = config.text("device");
    return p;
}

namespace {

std::string lower(std::string s) {
    for (auto &c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string first_reason(const Candidate &c) {
    for (const auto &r : c.reasons)
        if (r.rfind("unusable: ", 0) == 0) return r.substr(10);
    return c.reasons.empty() ? "scored 0" : c.reasons.back();
}

// "rocm absent (no /dev/kfd)" for the plugins named after the backend, else all.
std::string plugin_summary(const Inventory &inventory, const std::string &backend) {
    auto describe = [](const PluginOutcome &p) {
        std::string s = p.plugin + " " + p.status;
        std::string why = !p.reason.empty() ? p.reason : p.notes.empty() ? "" : p.notes.front();
        return why.empty() ? s : s + " (" + why + ")";
    };
    std::string named, all;
    for (const auto &p : inventory.plugins) {
        all += (all.empty() ? "" : "; ") + describe(p);
        if (p.plugin == backend) named += (named.empty() ? "" : "; ") + describe(p);
    }
    if (!named.empty()) return named;
    return all.empty() ? "no plugins ran" : all;
}

// Does the device-selector text name this candidate? Index, id, UUID or PCI bus id.
bool names(const std::string &selector, const Candidate &c, size_t detect_index, const Inventory &inventory,
           const std::string &backend_scope) {
    if (selector == c.device_id) return true;
    if (!selector.empty() && std::all_of(selector.begin(), selector.end(), ::isdigit))
        return backend_scope.empty() ? std::to_string(detect_index) == selector
                                     : c.device_id == backend_scope + ":" + selector;
    const json::object *d = inventory.find(c.device_id);
    if (!d) return false;
    if (auto u = d->find("uuid"); u != d->end() && u->value().is_string() && lower(std::string(u->value().as_string())) == lower(selector))
        return true;
    if (auto p = d->find("pci"); p != d->end() && p->value().is_object())
        if (auto b = p->value().as_object().find("bus_id"); b != p->value().as_object().end() && b->value().is_string())
            return normalize_bus_id(std::string(b->value().as_string())) == normalize_bus_id(selector);
    return false;
}

}  // namespace

int memory_class_floor_mib(int need_mib) {
    if (need_mib <= 0) return need_mib;
    // Round the allowance down, so the floor never admits less than 95% of the need.
    return need_mib - (need_mib * kMemoryClassTolerancePercent) / 100;
}

Selection select_device(const Inventory &inventory, const PluginSet &plugins, const Policy &policy,
                        const Workload &workload, const ToolRunner &tools, bool in_process) {
    Selection s;
    // Plugins compare memory strictly; they are asked for the memory class's floor,
    // so an "8 GB" card (8188 MiB) meets an 8192 MiB need as the planner's P.fits says.
    Workload asked = workload;
    asked.min_memory_mib = memory_class_floor_mib(workload.min_memory_mib);
    auto answers = ask_plugins(inventory, plugins, asked, tools, in_process);
    for (size_t i = 0; i < inventory.devices.size(); ++i)
        s.ranked.push_back(score_one(inventory.devices[i].as_object(), answers[i]));
    if (asked.min_memory_mib != workload.min_memory_mib) {
        // The plugins' reasons name the figure they were given (sdk score_device:
        // "workload needs F MiB", "for F MiB needed"); say the user's need and the class.
        std::string floor = std::to_string(asked.min_memory_mib) + " MiB";
        std::string said = std::to_string(workload.min_memory_mib) + " MiB (" + floor + " counts: within " +
                           std::to_string(kMemoryClassTolerancePercent) + "%)";
        for (auto &c : s.ranked)
            for (auto &r : c.reasons)
                for (const std::string lead : {"needs ", "for "})
                    if (auto at = r.find(lead + floor); at != std::string::npos) r.replace(at + lead.size(), floor.size(), said);
    }
    auto priority = [&](const std::string &backend) {
        auto it = std::find(policy.backend_priority.begin(), policy.backend_priority.end(), backend);
        size_t listed = size_t(it - policy.backend_priority.begin());
        // not listed: after every listed one, in the order the plugins' manifests declare
        return std::pair<size_t, int>(listed, plugins.backend_priority(backend));
    };
    std::stable_sort(s.ranked.begin(), s.ranked.end(), [&](const Candidate &a, const Candidate &b) {
        if (a.score != b.score) return a.score > b.score;
        return priority(a.backend) < priority(b.backend);
    });
    apply_policy(s, inventory, policy);
    return s;
}

void apply_policy(Selection &s, const Inventory &inventory, const Policy &policy) {
    s.chosen.reset();
    s.error.clear();
    s.why.clear();
    std::map<std::string, size_t> detect_index;
    for (size_t i = 0; i < inventory.devices.size(); ++i)
        if (auto id = inventory.devices[i].as_object().if_contains("id"); id && id->is_string())
            detect_index[std::string(id->as_string())] = i;
    auto best_where = [&](auto keep) -> const Candidate * {
        for (const auto &c : s.ranked)
            if (c.score > 0 && keep(c)) return &c;
        return nullptr;
    };
    auto fail = [&](std::string error) {
        s.error = error;
        s.why.push_back(std::move(error));
    };
    auto pick = [&](const Candidate &c, std::string why) {
        s.chosen = c;
        s.why.push_back(std::move(why) + ": " + c.device_id + " (score " + std::to_string(c.score) + ")");
    };
    const std::string &forced = policy.force_backend;
    bool auto_mode = policy.preferred_backend.empty() || policy.preferred_backend == "auto";

    if (!forced.empty()) {
        bool any = std::any_of(s.ranked.begin(), s.ranked.end(), [&](const Candidate &c) { return c.backend == forced; });
        if (!any)
            return fail("force_backend " + forced + ": no " + forced + " device was detected; plugins: " +
                        plugin_summary(inventory, forced));
        if (!best_where([&](const Candidate &c) { return c.backend == forced; })) {
            std::string why;
            for (const auto &c : s.ranked)
                if (c.backend == forced) why += (why.empty() ? "" : "; ") + c.device_id + ": " + first_reason(c);
            return fail("force_backend " + forced + ": no usable " + forced + " device (" + why + ")");
        }
    }
    if (!policy.device.empty()) {
        std::string scope = !forced.empty() ? forced : auto_mode ? "" : policy.preferred_backend;
        const Candidate *match = nullptr;
        for (const auto &c : s.ranked)
            if ((forced.empty() || c.backend == forced) && names(policy.device, c, detect_index[c.device_id], inventory, scope))
                match = &c;
        if (!match) {
            std::string ids;
            for (const auto &d : inventory.devices) ids += (ids.empty() ? "" : ", ") + std::string(d.at("id").as_string());
            return fail("device \"" + policy.device + "\" matches no detected device" +
                        (forced.empty() ? "" : " of backend " + forced) + " (devices: " + (ids.empty() ? "none" : ids) +
                        "; an index, id, UUID or PCI bus id)");
        }
        if (match->score <= 0) return fail("device " + match->device_id + " is not usable: " + first_reason(*match));
        pick(*match, "device \"" + policy.device + "\" chosen by policy");
        return;
    }
    if (!forced.empty()) {
        pick(*best_where([&](const Candidate &c) { return c.backend == forced; }), "forced backend " + forced);
        return;
    }
    if (!auto_mode) {
        const std::string &preferred = policy.preferred_backend;
        if (auto *c = best_where([&](const Candidate &x) { return x.backend == preferred; })) {
            pick(*c, "preferred backend " + preferred);
            return;
        }
        std::string why = "preferred backend " + preferred + " has no usable device (";
        std::string detail;
        for (const auto &c : s.ranked)
            if (c.backend == preferred) detail += (detail.empty() ? "" : "; ") + c.device_id + ": " + first_reason(c);
        why += (detail.empty() ? "plugins: " + plugin_summary(inventory, preferred) : detail) + "); falling back";
        log::warn(why);  // the user asked for this backend: say plainly that they are not getting it
        s.why.push_back(why);
    }
    const Candidate *top = best_where([](const Candidate &) { return true; });
    if (!top) return fail("no device scored above 0 for this workload");
    pick(*top, "highest score");
    for (const auto &c : s.ranked)
        if (&c != top && c.score == top->score && c.backend != top->backend) {
            s.why.push_back("tie with " + c.device_id + " broken by backend_priority (" + top->backend + " before " +
                            c.backend + ")");
            break;
        }
}

std::string device_named(const Inventory &inventory, const Policy &policy, const std::string &selector) {
    const std::string &forced = policy.force_backend;
    bool auto_mode = policy.preferred_backend.empty() || policy.preferred_backend == "auto";
    std::string scope = !forced.empty() ? forced : auto_mode ? "" : policy.preferred_backend;
    for (size_t i = 0; i < inventory.devices.size(); ++i) {
        const auto &d = inventory.devices[i].as_object();
        Candidate c;
        if (auto id = d.find("id"); id != d.end() && id->value().is_string()) c.device_id = id->value().as_string();
        if (auto b = d.find("backend"); b != d.end() && b->value().is_string()) c.backend = b->value().as_string();
        if (!forced.empty() && c.backend != forced) continue;
        if (names(selector, c, i, inventory, scope)) return c.device_id;
    }
    return {};
}

}  // namespace gpuhost
