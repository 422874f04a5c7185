// Facts about gfx targets: which ones current ROCm builds ship kernels for,
// which are APUs, and the HSA_OVERRIDE_GFX_VERSION users set for the rest.
#pragma once
#include <string>

namespace gpuhost::rocm {

// "10.3.0" -> "gfx1030" (the HSA runtime reads major.minor.stepping as decimals).
// Throws std::invalid_argument naming the value when it is not of that form.
std::string gfx_from_override(const std::string &value);

// Does the ROCm stack of today (ROCm 6.x libraries, PyTorch ROCm wheels) ship kernels for it?
bool rocm_builds_ship(const std::string &gfx);

// The override that makes the runtime treat this target as a shipped sibling
// ("10.3.0" for gfx1031), or empty when there is none.
std::string suggested_override(const std::string &gfx);

// Targets that only exist as integrated GPUs (LLVM's processor table).
bool apu_target(const std::string &gfx);

}  // namespace gpuhost::rocm
