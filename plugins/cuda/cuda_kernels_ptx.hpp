// The kernels' PTX, embedded at build time (embed_ptx.cmake).
#pragma once

namespace gpuhost::cuda {

struct PtxModule {
    const char *name;  // "saxpy": kernels/saxpy.cu
    const char *ptx;
};
extern const PtxModule kPtxModules[];  // kPtxModuleCount entries, then {nullptr, nullptr}
extern const unsigned kPtxModuleCount;
extern const char *const kPtxMissingReason;  // why there are none ("" when there are)

}  // namespace gpuhost::cuda
