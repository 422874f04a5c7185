// The build each candidate of a selection gets, as the version tables decide it
// (scripts/lib/planner.lua P.best_build, the list `plan` walks): a plugin's
// own guess ("cu127" from a driver that supports CUDA up to 12.7) is replaced,
// so select, export and plan name the same, real wheel tag.
#pragma once
#include "../detect/inventory.hpp"
#include "selection.hpp"

namespace gpuhost {

// Puts the tables' build first in each candidate's install.accelerators and
// rewrites the "best build: " reason to name it. Loads the vendor scripts.
void name_table_builds(Selection &selection, const Inventory &inventory);

}  // namespace gpuhost
