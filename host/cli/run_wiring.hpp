#pragma once
#include "../env/seams.hpp"

namespace gpuhost::cli {

env::RunSeams run_seams();

}  // namespace gpuhost::cli
