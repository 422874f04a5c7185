// The shared part of the vendor-neutral probe plugins (Vulkan, OpenCL): they
// select no ML framework build, rank their devices below the vendor plugins',
// and run kernels on whatever they found.
#pragma once
#include "gpuhost/plugin.hpp"

#include <string>

namespace gpuhost::sdk {

class ProbePlugin : public Plugin {
public:
    explicit ProbePlugin(std::string api) : api_(std::move(api)) {}
    json::object install(Host &host, const json::object &device) override;
    // A device only a probe knows runs no ML framework build: a GPU loses 15
    // points, and a CPU seen this way scores 1, below the cpu plugin's record.
    json::object score(Host &host, const json::object &device, const json::object &workload) override;
    bool has_kernel() const override { return true; }

private:
    std::string api_;  // "Vulkan", "OpenCL": for the reasons people read
};

}  // namespace gpuhost::sdk
