// What `gpuhost run` will do, as data: produced by the Lua policy (`plan`),
// consumed by the environment builder (`run`), printable with --json.
#pragma once
#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

namespace gpuhost {

// The plan document's version ("schema"); a plan without one is from before
// versions were written and reads as version 1.
constexpr int kPlanSchema = 1;

struct Plan {
    std::string profile;            // profile name ("vector_search")
    std::string profile_path;       // the .lua file it came from
    int profile_env_version = 1;    // bump in a profile to force a recreate
    std::string tables_version;     // version of scripts/tables
    std::string device_id;          // "cuda:0", "cpu:0"
    std::string device_name;
    std::string backend;            // a backend a plugin declares: cuda, rocm, xpu, mps, cpu, npu...
    std::string accelerator;        // the build's tag: cu128 | rocm6.4 | xpu | mps | cpu | a vendor's own (npu)
    // The local label torch's version must carry ("cpu" for a vendor whose torch is the CPU
    // wheel plus an adapter package); empty: the accelerator tag.
    std::string torch_build;
    std::string framework;          // pytorch | cupy | jax | tensorflow | onnxruntime | numpy
    std::string python_min, python_max;  // "3.9", "3.13" (inclusive)
    // Index routing. The accelerator index (index_url, plus extra_index_urls) serves
    // only the projects in index_packages (normalized names: torch, torchvision,
    // triton...); everything else comes from the default index: default_index_url
    // when set (gpuhost.json "index_url"), else the installer's own configuration
    // (PIP_INDEX_URL, pip.conf, UV_INDEX_URL...), else PyPI.
    std::string index_url;          // empty: no accelerator index, all from the default index
    std::vector<std::string> extra_index_urls;
    std::vector<std::string> index_packages;
    std::string index_label;        // local version label of the index's torch builds ("cu126"); may be empty
    std::string default_index_url;
    std::vector<std::string> packages;  // pip requirement specs: "torch==2.8.0", "numpy>=1.26"
    std::map<std::string, std::string> env;  // set in the environment's activation
    std::string env_path;           // where the virtual environment lives
    std::vector<std::string> steps; // human-readable, in order
    std::vector<std::string> notes; // why this plan (reasons from the tables)
    std::string smoke_test;         // Python code that proves the device computes; exits non-zero on failure

    boost::json::object to_json() const;
    static Plan from_json(const boost::json::object &o);  // throws std::runtime_error naming the field
};

}  // namespace gpuhost
