#include "gpuhost/probe_plugin.hpp"

#include <algorithm>

namespace gpuhost::sdk {

json::object ProbePlugin::install(Host &, const json::object &) {
    return {{"accelerators",
             json::array{json::object{{"tag", "cpu"}, {"reason", "no framework build targets " + api_}}}},
            {"env", json::object{}}};
}

json::object ProbePlugin::score(Host &host, const json::object &device, const json::object &workload) {
    auto result = score_device(device, workload, install(host, device));
    auto &reasons = result["reasons"].as_array();
    auto type = device.find("type");
    bool cpu = type != device.end() && type->value() == "cpu";
    std::int64_t score = result["score"].to_number<std::int64_t>();
    if (score > 0) score = cpu ? 1 : std::max<std::int64_t>(1, score - 15);
    reasons.emplace_back(cpu ? "a CPU seen through " + api_ + ": the cpu device serves ML work better"
                             : "seen only through the " + api_ + " probe: -15");
    result["score"] = score;
    return result;
}

}  // namespace gpuhost::sdk
