// cuBLAS, opened at run time (never linked) for the CUDA sgemm: from the
// Python environment's nvidia wheels, the loader's path, the driver's folder
// or the CUDA toolkit. The own kernel is the fallback when none opens.
#pragma once
#include "vendor_library.hpp"

#include <functional>
#include <string>
#include <vector>

namespace gpuhost::cuda {

// The files to try, in order (sonames before plain names, CUDA 13 to 11):
// GPUHOST_CUBLAS_LIBRARY alone when set; else the active Python environment
// ($VIRTUAL_ENV, $CONDA_PREFIX: site-packages/nvidia/cublas/lib and
// nvidia/cu13/lib), the bare sonames (LD_LIBRARY_PATH and the loader's cache),
// driver_dir (where libcuda was opened), $CUDA_HOME / $CUDA_PATH and
// /usr/local/cuda, then the system's and the user's Python site-packages.
// `env` reads a variable (nullptr when unset); `glob` lists paths matching a
// pattern. Both are parameters so tests can describe any machine.
std::vector<std::string> cublas_candidates(const std::function<const char *(const char *)> &env,
                                           const std::function<std::vector<std::string>(const std::string &)> &glob,
                                           const std::string &driver_dir);

// The directory of an opened library's file ("" when unknown).
std::string library_dir(const VendorLibrary &lib);

}  // namespace gpuhost::cuda
