#include "cpu_probe.hpp"

#include "gpuhost/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace gpuhost::cpu {

namespace {

using text::trim;

// cpuinfo flag -> the name gpuhost reports. Flags not listed are ignored.
const std::map<std::string, std::string> &x86_flags() {
    static const std::map<std::string, std::string> m = {
        {"sse4_1", "sse4_1"},         {"aes", "aes"},
        {"pclmulqdq", "pclmulqdq"},   {"avx512_vbmi", "avx512_vbmi"},
        {"sse4_2", "sse4_2"},         {"avx", "avx"},
        {"avx2", "avx2"},             {"fma", "fma"},
        {"f16c", "f16c"},             {"avx512f", "avx512f"},
        {"avx512cd", "avx512cd"},     {"avx512bw", "avx512bw"},
        {"avx512dq", "avx512dq"},     {"avx512vl", "avx512vl"},
        {"avx512_vnni", "avx512_vnni"}, {"avx512_bf16", "avx512_bf16"},
        {"avx512_fp16", "avx512_fp16"}, {"avx_vnni", "avx_vnni"},
        {"amx_tile", "amx_tile"},     {"amx_bf16", "amx_bf16"},
        {"amx_int8", "amx_int8"},
    };
    return m;
}

const std::map<std::string, std::string> &arm_flags() {
    static const std::map<std::string, std::string> m = {
        {"fp", "fp"},       {"asimd", "asimd"}, {"asimdhp", "asimdhp"}, {"fphp", "fphp"},
        {"sve", "sve"},     {"sve2", "sve2"},   {"bf16", "arm_bf16"},   {"i8mm", "i8mm"},
        {"asimddp", "asimddp"}, {"crc32", "crc32"}, {"aes", "aes"},    {"atomics", "atomics"},
    };
    return m;
}

// Arm MIDR implementer codes (the Arm ARM, "Main ID Register").
std::string arm_implementer_name(const std::string &code) {
    static const std::map<std::string, std::string> names = {
        {"0x41", "ARM"},      {"0x42", "Broadcom"}, {"0x43", "Cavium"}, {"0x46", "Fujitsu"},
        {"0x48", "HiSilicon"}, {"0x4e", "NVIDIA"},  {"0x51", "Qualcomm"}, {"0x61", "Apple"},
        {"0xc0", "Ampere"},
    };
    auto it = names.find(code);
    return it != names.end() ? it->second : "implementer " + code;
}

// Arm MIDR part numbers (implementer 0x41 unless noted), for boards whose
// cpuinfo carries no model name.
std::string arm_part_name(const std::string &implementer, const std::string &part) {
    static const std::map<std::string, std::string> arm = {
        {"0xd03", "Cortex-A53"}, {"0xd07", "Cortex-A57"},   {"0xd08", "Cortex-A72"},
        {"0xd0b", "Cortex-A76"}, {"0xd0c", "Neoverse-N1"},  {"0xd40", "Neoverse-V1"},
        {"0xd49", "Neoverse-N2"}, {"0xd4f", "Neoverse-V2"}, {"0xd41", "Cortex-A78"},
    };
    if (implementer == "0x41") {
        auto it = arm.find(part);
        if (it != arm.end()) return "ARM " + it->second;
    }
    if (implementer == "0xc0") return "Ampere " + part;
    if (implementer == "0x61") return "Apple " + part;
    return "Arm CPU (implementer " + implementer + ", part " + part + ")";
}

}  // namespace

CpuFacts parse_cpuinfo(const std::string &cpuinfo) {
    CpuFacts f;
    std::istringstream in(cpuinfo);
    std::set<std::pair<std::string, std::string>> core_ids;
    std::set<std::string> sockets, flags;
    std::string physical_id, implementer, part, hardware;
    bool arm = false;
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (key == "processor") ++f.threads;
        else if (key == "model name" && f.model.empty()) f.model = value;
        else if (key == "vendor_id" && f.vendor_id.empty()) f.vendor_id = value;
        else if (key == "physical id") { physical_id = value; sockets.insert(value); }
        else if (key == "core id") core_ids.insert({physical_id, value});
        else if (key == "flags" || key == "Features") {
            arm = arm || key == "Features";
            std::istringstream words(value);
            for (std::string w; words >> w;) flags.insert(w);
        } else if (key == "CPU implementer" && implementer.empty()) implementer = value;
        else if (key == "CPU part" && part.empty()) part = value;
        else if ((key == "Hardware" || key == "Model") && hardware.empty()) hardware = value;
    }
    if (f.threads == 0) throw std::runtime_error("no 'processor' entries: not a /proc/cpuinfo file");
    f.cores = core_ids.empty() ? f.threads : unsigned(core_ids.size());
    f.sockets = sockets.empty() ? 1 : unsigned(sockets.size());
    const auto &table = arm ? arm_flags() : x86_flags();
    std::set<std::string> features;
    for (const auto &flag : flags)
        if (auto it = table.find(flag); it != table.end()) features.insert(it->second);
    if (arm) {
        f.architecture = "aarch64";
        if (f.vendor_id.empty()) f.vendor_id = implementer.empty() ? "ARM" : arm_implementer_name(implementer);
        if (features.count("asimd")) features.insert("neon");  // the name most people search for
        if (f.model.empty()) f.model = !hardware.empty() ? hardware : arm_part_name(implementer, part);
        if (features.count("asimdhp")) features.insert("fp16");
        if (features.count("arm_bf16")) features.insert("bf16");
    } else {
        f.architecture = flags.count("lm") ? "x86_64" : "x86";
        if (features.count("avx512_bf16") || features.count("amx_bf16")) features.insert("bf16");
        if (features.count("avx512_fp16")) features.insert("fp16");
    }
    f.features.assign(features.begin(), features.end());
    f.signals.push_back("procfs");
    return f;
}

bool parse_meminfo(const std::string &meminfo, CpuFacts &facts) {
    std::istringstream in(meminfo);
    bool total = false;
    for (std::string key; in >> key;) {
        std::uint64_t kib = 0;
        in >> kib;
        in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
        if (key == "MemTotal:") { facts.memory_total_kib = kib; total = true; }
        else if (key == "MemAvailable:") facts.memory_available_kib = kib;
    }
    return total;
}

static unsigned count_numa_nodes(const sdk::Sysroot &root) {
    unsigned n = 0;
    for (const auto &name : root.list("/sys/devices/system/node"))
        if (name.rfind("node", 0) == 0 && name.size() > 4 && std::isdigit((unsigned char)name[4])) ++n;
    return n ? n : 1;
}

#if defined(__x86_64__) || defined(__i386__)
// Live only: the instruction set as the processor itself reports it, which
// catches a hypervisor that hides flags from /proc/cpuinfo inconsistently.
static void cross_check_with_cpuid(CpuFacts &f) {
    __builtin_cpu_init();
    std::set<std::string> have(f.features.begin(), f.features.end());
    auto add = [&](bool present, const char *name) { if (present) have.insert(name); };
    add(__builtin_cpu_supports("avx2"), "avx2");
    add(__builtin_cpu_supports("fma"), "fma");
    add(__builtin_cpu_supports("avx512f"), "avx512f");
    add(__builtin_cpu_supports("avx512bw"), "avx512bw");
    add(__builtin_cpu_supports("avx512vl"), "avx512vl");
    f.features.assign(have.begin(), have.end());
    f.signals.push_back("cpuid");
}
#endif

CpuFacts read_cpu_facts(const sdk::Sysroot &root) {
    auto cpuinfo = root.read("/proc/cpuinfo");
    CpuFacts f;
    if (!cpuinfo) {
        f.model = "unknown";
        f.notes.push_back("no /proc/cpuinfo" + std::string(root.is_live() ? "" : " in this recording") +
                          ": CPU model, cores and features unknown");
    } else {
        try {
            f = parse_cpuinfo(*cpuinfo);
        } catch (const std::runtime_error &e) {
            f = {};
            f.model = "unknown";
            f.notes.push_back(std::string("/proc/cpuinfo unreadable (") + e.what() + "): CPU model, cores and features unknown");
        }
    }
    if (auto meminfo = root.read("/proc/meminfo")) parse_meminfo(*meminfo, f);
    f.numa_nodes = count_numa_nodes(root);
#if defined(__x86_64__) || defined(__i386__)
    if (root.is_live() && f.architecture.rfind("x86", 0) == 0) cross_check_with_cpuid(f);
#endif
    return f;
}

sdk::DeviceRecord to_device(const CpuFacts &f) {
    sdk::DeviceRecord d;
    std::string maker = f.vendor_id == "GenuineIntel"   ? "intel"
                        : f.vendor_id == "AuthenticAMD" ? "amd"
                        : f.architecture == "aarch64"   ? "arm"
                                                        : "cpu";
    d.vendor = maker;
    d.backend = "cpu";
    d.name = f.model;
    d.type = "cpu";
    d.architecture = f.architecture;
    if (f.memory_total_kib) d.memory_total_bytes = f.memory_total_kib * 1024;
    if (f.memory_available_kib) d.memory_free_bytes = f.memory_available_kib * 1024;
    d.signals = f.signals;
    d.features = f.features;
    d.details = boost::json::object{{"vendor_id", f.vendor_id}, {"threads", f.threads},
                                    {"cores", f.cores},         {"sockets", f.sockets},
                                    {"numa_nodes", f.numa_nodes}};
    return d;
}

}  // namespace gpuhost::cpu
