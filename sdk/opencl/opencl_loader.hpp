// The OpenCL ICD loader (libOpenCL.so.1), opened at run time rather than
// linked, so the plugin loads on a machine without it and reports OpenCL
// absent. opencl_loader.cpp defines the cl* entry points CLHPP calls as
// forwarders into the opened library.
#pragma once
#include <string>

namespace gpuhost::opencl {

// Opens the loader once (GPUHOST_OPENCL_LOADER may name another file, for
// tests). Returns "" when it is open, else why not.
const std::string &loader_problem();

// The named entry point of the opened loader, or null.
void *loader_symbol(const char *name);

template <class Fn>
Fn resolve(const char *name) {
    return reinterpret_cast<Fn>(loader_symbol(name));
}

}  // namespace gpuhost::opencl
