// Scoring every device for a workload and choosing one under the user's policy.
#pragma once
#include "../detect/inventory.hpp"
#include "../plugins/plugin_set.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost {

class ToolRunner;

// What the work needs (sdk/docs/SCHEMA.md, "workload").
struct Workload {
    int min_memory_mib = 0;
    std::string precision = "fp32";
    std::string framework;  // pytorch | cupy | jax | tensorflow | onnxruntime | numpy
    std::string profile;
    boost::json::object to_json() const;
};

// The user's choice rules (gpuhost.json, GPUHOST_* variables, flags).
// How score and priority combine: candidates are ranked by score (highest first);
// backend_priority only orders candidates whose scores are equal (backends not in
// the list come after those in it, then the detect order). A candidate with score
// 0 is never chosen.
//   force_backend set: the best usable device of that backend, or no choice and
//     `error` says why (none detected: the plugins' outcomes; present: its reason).
//   device set: exactly that device (within force_backend when both are set), or error.
//   preferred_backend not auto: its best usable device, else the best of all with a
//     "falling back" line in why.
//   otherwise: the top of the ranking.
struct Policy {
    std::string preferred_backend = "auto";  // auto | a backend name
    // Listed backends first, in this order; the rest by their manifests' "priority".
    std::vector<std::string> backend_priority;
    std::string force_backend;               // strict: exactly this backend or fail
    std::string device;                      // index, UUID or PCI bus id
};

struct Candidate {
    std::string device_id;  // "cuda:0"
    std::string plugin;
    std::string backend;
    int score = 0;
    std::vector<std::string> reasons;
    boost::json::object install;  // the plugin's install contribution
    boost::json::object to_json() const;
};

struct Selection {
    std::vector<Candidate> ranked;  // best first
    std::optional<Candidate> chosen;
    std::vector<std::string> why;   // how the policy led to the choice (or why none)
    std::string error;              // set when the policy cannot be met (forced backend, device): exit kNoDevice
    boost::json::object to_json() const;
};

// Scores each device with its plugin, ranks, and applies the policy. When
// nothing fits, chosen is empty and why says what the user can change.
// The policy from the layered config (config.hpp), flags already applied to it.
struct Config;
Policy policy_from_config(const Config &config);

// Each plugin's install() and score() run in a child process (see ask_plugins in
// selection.cpp); in_process calls them here instead (--in-process, for debugging).
Selection select_device(const Inventory &inventory, const PluginSet &plugins, const Policy &policy,
                        const Workload &workload, const ToolRunner &tools, bool in_process = false);

// The policy applied to candidates already ranked best first (select_device's
// scores, or the tables' fallback ranking of a recorded inventory turned into
// scores): sets chosen, why and error exactly as select_device does, so every
// command reads force_backend, device and preferred_backend the same way.
void apply_policy(Selection &selection, const Inventory &inventory, const Policy &policy);

// Memory classes: a card sold as N GB reports a little under N GiB (an RTX 4060
// "8 GB" reports 8188 MiB: the driver and firmware keep some). A device meets a
// need of M MiB when it has at least M minus 5% of M; scripts/lib/planner.lua
// (P.MEMORY_CLASS_TOLERANCE, P.fits) applies the same rule to recorded devices.
constexpr int kMemoryClassTolerancePercent = 5;
// The least memory, in MiB, that meets a need of need_mib (need_mib when <= 0).
int memory_class_floor_mib(int need_mib);

// The id of the device `selector` names (an index, id, UUID or PCI bus id),
// read exactly as select_device reads policy.device; "" when none does.
std::string device_named(const Inventory &inventory, const Policy &policy, const std::string &selector);

}  // namespace gpuhost
