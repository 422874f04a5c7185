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
struct Policy {
    std::string preferred_backend = "auto";  // auto | a backend name
    std::vector<std::string> backend_priority = {"cuda", "rocm", "xpu", "mps", "vulkan", "opencl", "cpu"};
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
    boost::json::object to_json() const;
};

// Scores each device with its plugin, ranks, and applies the policy. When
// nothing fits, chosen is empty and why says what the user can change.
Selection select_device(const Inventory &inventory, const PluginSet &plugins, const Policy &policy,
                        const Workload &workload, const ToolRunner &tools);

}  // namespace gpuhost
