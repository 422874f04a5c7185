#include "table_builds.hpp"

namespace json = boost::json;

namespace gpuhost::recover {

std::vector<std::string> offered_gpu_builds(lua::Engine &engine, const json::object &device) {
    auto list = engine.require("lib.planner").field("gpu_builds").call({device}, "planner.gpu_builds").to_json();
    std::vector<std::string> out;
    if (list.is_array())
        for (const auto &t : list.as_array())
            if (t.is_string()) out.emplace_back(t.as_string());
    return out;
}

}  // namespace gpuhost::recover
