// The text helpers the vendor parsers share; they live in the SDK
// (gpuhost/text.hpp) so the probes and the host use the same ones.
#pragma once
#include "gpuhost/text.hpp"

#include <cctype>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gpuhost::plugin_text {

// The SDK's helpers (gpuhost/text.hpp), under the name the plugins use.
using text::hex16;
using text::lines;
using text::lower;
using text::starts_with;
using text::to_u64;
using text::trim;
using text::uevent_value;

}  // namespace gpuhost::plugin_text
