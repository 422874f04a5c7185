#include "variant_providers.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace gpuhost::fleet {

namespace {

std::optional<std::pair<int, int>> major_minor(const std::string &v) {
    auto dot = v.find('.');
    try {
        std::size_t used = 0;
        int major = std::stoi(v.substr(0, dot), &used);
        if (used != v.substr(0, dot).size() || major < 0) return std::nullopt;
        if (dot == std::string::npos) return std::pair{major, 0};
        std::string rest = v.substr(dot + 1);
        rest = rest.substr(0, rest.find('.'));
        int minor = std::stoi(rest, &used);
        if (used != rest.size() || minor < 0) return std::nullopt;
        return std::pair{major, minor};
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

}  // namespace

VariantFeatures nvidia_features(const std::string &cuda_version, const std::string &sm) {
    // The provider's catalogue: majors 11..15, minors 0..20.
    const int kMinMajor = 11, kMaxMajor = 15, kMaxMinor = 20;
    VariantFeatures out;
    auto umd = major_minor(cuda_version);
    if (!umd) return out;
    auto [major, minor] = *umd;
    if (std::pair{major, minor} < std::pair{kMinMajor, 0} || std::pair{major, minor} > std::pair{kMaxMajor, kMaxMinor})
        return out;  // the provider deactivates itself outside this range

    // Lower bound: this version down to 11, each major closed by its major-only value.
    VariantFeature lower{"cuda_version_lower_bound", {}};
    for (int m = major; m >= kMinMajor; --m) {
        for (int n = (m == major ? minor : kMaxMinor); n >= 0; --n) lower.values.push_back(std::to_string(m) + "." + std::to_string(n));
        lower.values.push_back(std::to_string(m));
    }
    out.push_back(std::move(lower));

    // Upper bound (exclusive): 15.20 down to just above this version; this
    // version's own major gets no major-only value.
    VariantFeature upper{"cuda_version_upper_bound", {}};
    for (int m = kMaxMajor; m >= major; --m) {
        for (int n = kMaxMinor; n > (m == major ? minor : -1); --n) upper.values.push_back(std::to_string(m) + "." + std::to_string(n));
        if (m > major) upper.values.push_back(std::to_string(m));
    }
    if (!upper.values.empty()) out.push_back(std::move(upper));

    // SM: every real arch of this major at or below the minor, then the major's virtual arch.
    if (auto cc = major_minor(sm); cc && *cc >= std::pair{5, 0}) {
        VariantFeature arch{"sm_arch", {}};
        for (int n = cc->second; n >= 0; --n) arch.values.push_back(std::to_string(cc->first) + std::to_string(n) + "_real");
        arch.values.push_back(std::to_string(cc->first) + "0_virtual");
        out.push_back(std::move(arch));
    }
    return out;
}

VariantFeatures amd_features(const std::vector<std::string> &gfx_targets, const std::string &rocm_version) {
    // detect_rocm.py keeps the targets only when all are in this list (its GFX_CODE default).
    static const std::vector<std::string> known = {"gfx900",  "gfx906",  "gfx908",  "gfx90a",  "gfx942", "gfx1030",
                                                   "gfx1100", "gfx1101", "gfx1102", "gfx1200", "gfx1201"};
    VariantFeatures out;
    std::vector<std::string> gfx = gfx_targets;
    std::sort(gfx.begin(), gfx.end());
    gfx.erase(std::unique(gfx.begin(), gfx.end()), gfx.end());
    bool all_known = !gfx.empty() && std::all_of(gfx.begin(), gfx.end(), [&](const std::string &g) {
        return std::find(known.begin(), known.end(), g) != known.end();
    });
    if (all_known) out.push_back({"gfx_arch", gfx});
    if (auto v = major_minor(rocm_version))
        out.push_back({"rocm_version", {std::to_string(v->first) + "." + std::to_string(v->second)}});
    return out;
}

std::string intel_device_ip(const std::string &pci_device_id) {
    // PCI ids by die, from Linux include/drm/intel/pciids.h (INTEL_DG2_G10_IDS,
    // INTEL_DG2_G11_IDS, INTEL_DG2_G12_IDS, INTEL_ATS_M150_IDS, INTEL_ATS_M75_IDS,
    // INTEL_BMG_IDS, INTEL_PVC_IDS); GMDIDs per die from the provider's devices.py.
    static const std::map<unsigned, std::string> ip = {
        {0x5690, "12.55.8"}, {0x5691, "12.55.8"}, {0x5692, "12.55.8"}, {0x56a0, "12.55.8"}, {0x56a1, "12.55.8"},
        {0x56a2, "12.55.8"}, {0x56be, "12.55.8"}, {0x56bf, "12.55.8"}, {0x56c0, "12.55.8"},
        {0x5693, "12.56.5"}, {0x5694, "12.56.5"}, {0x5695, "12.56.5"}, {0x56a5, "12.56.5"}, {0x56a6, "12.56.5"},
        {0x56b0, "12.56.5"}, {0x56b1, "12.56.5"}, {0x56ba, "12.56.5"}, {0x56bb, "12.56.5"}, {0x56bc, "12.56.5"},
        {0x56bd, "12.56.5"}, {0x56c1, "12.56.5"},
        {0x5696, "12.57.0"}, {0x5697, "12.57.0"}, {0x56a3, "12.57.0"}, {0x56a4, "12.57.0"}, {0x56b2, "12.57.0"},
        {0x56b3, "12.57.0"},
        {0xe202, "20.1.0"}, {0xe209, "20.1.0"}, {0xe20b, "20.1.0"}, {0xe20c, "20.1.0"}, {0xe20d, "20.1.0"},
        {0xe210, "20.1.0"}, {0xe211, "20.1.0"}, {0xe212, "20.1.0"}, {0xe215, "20.1.0"}, {0xe216, "20.1.0"},
        {0x0b69, "12.60.7"}, {0x0b6e, "12.60.7"}, {0x0bd4, "12.60.7"}, {0x0bd5, "12.60.7"}, {0x0bd6, "12.60.7"},
        {0x0bd7, "12.60.7"}, {0x0bd8, "12.60.7"}, {0x0bd9, "12.60.7"}, {0x0bda, "12.60.7"}, {0x0bdb, "12.60.7"},
    };
    try {
        std::size_t used = 0;
        unsigned id = static_cast<unsigned>(std::stoul(pci_device_id, &used, 16));
        if (used != pci_device_id.size()) return {};
        auto it = ip.find(id);
        return it == ip.end() ? std::string() : it->second;
    } catch (const std::exception &) {
        return {};
    }
}

VariantFeatures intel_features(const std::vector<std::string> &device_ips) {
    // devices.py: an IP whose code also runs on a base platform lists that base after it.
    static const std::map<std::string, std::string> compat = {
        {"12.56.5", "12.55.8"}, {"12.57.0", "12.55.8"}, {"20.2.0", "20.1.0"}, {"20.4.4", "20.1.0"},
        {"12.71.4", "12.70.4"}};
    VariantFeature f{"device_ip", {}};
    auto add = [&](const std::string &v) {
        if (!v.empty() && std::find(f.values.begin(), f.values.end(), v) == f.values.end()) f.values.push_back(v);
    };
    for (const auto &ip : device_ips) {
        add(ip);
        if (auto c = compat.find(ip); c != compat.end()) add(c->second);
    }
    if (f.values.empty()) return {};
    return {f};
}

int x86_64_level(const std::set<std::string> &flags) {
    auto has = [&](std::initializer_list<const char *> names) {
        return std::all_of(names.begin(), names.end(), [&](const char *n) { return flags.count(n) > 0; });
    };
    // x86-64 psABI microarchitecture levels, in /proc/cpuinfo's names (SSE3 is "pni",
    // LZCNT is "abm").
    if (!has({"cmov", "cx8", "fpu", "fxsr", "mmx", "sse", "sse2"})) return 0;
    if (!has({"cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"}) || !(flags.count("pni") || flags.count("sse3")))
        return 1;
    if (!has({"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"})) return 2;
    if (!has({"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"})) return 3;
    return 4;
}

VariantFeatures x86_64_features(int level) {
    if (level < 1) return {};
    VariantFeature f{"level", {}};
    for (int l = std::min(level, 4); l >= 1; --l) f.values.push_back("v" + std::to_string(l));
    return {f};
}

}  // namespace gpuhost::fleet
