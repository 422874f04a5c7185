// Reads the CPU's facts from /proc (through the sysroot) and, live, cpuid.
#pragma once
#include "gpuhost/device_record.hpp"
#include "gpuhost/sysroot.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gpuhost::cpu {

struct CpuFacts {
    std::string model, vendor_id, architecture;  // "x86_64" | "aarch64" | ...
    unsigned threads = 0, cores = 0, sockets = 0, numa_nodes = 0;
    std::vector<std::string> features;           // sorted cpuinfo flag names we care about, plus aliases: neon, fp16, bf16
    std::uint64_t memory_total_kib = 0, memory_available_kib = 0;
    std::vector<std::string> signals;
    std::vector<std::string> notes;              // what could not be read, for the detect notes
};

// Parses cpuinfo text (x86 or Arm). Throws std::runtime_error on text that
// has no processor entries.
CpuFacts parse_cpuinfo(const std::string &cpuinfo);
// Fills memory from meminfo text; returns false when MemTotal is missing.
bool parse_meminfo(const std::string &meminfo, CpuFacts &facts);
// Everything, from the sysroot; live x86 also cross-checks with cpuid. A
// missing or unreadable /proc/cpuinfo (a recording without it) gives a CPU
// named "unknown" with a note saying why, never an error.
CpuFacts read_cpu_facts(const sdk::Sysroot &root);

sdk::DeviceRecord to_device(const CpuFacts &facts);

}  // namespace gpuhost::cpu
