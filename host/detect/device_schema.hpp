// Checks what plugins send against sdk/docs/SCHEMA.md before anything uses it.
#pragma once
#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost {

// Problems with one device record ("devices[2].memory.total_bytes: must be a non-negative integer").
std::vector<std::string> validate_device(const boost::json::value &device, const std::string &where);
// Problems with a whole detect result; empty when valid.
std::vector<std::string> validate_detect_result(const boost::json::value &result);
// Problems with an install contribution.
std::vector<std::string> validate_install(const boost::json::value &install);
// Problems with a score reply.
std::vector<std::string> validate_score(const boost::json::value &score);

}  // namespace gpuhost
