#include "nvidia_smi_parse.hpp"

#include "gpuhost/text.hpp"

#include <charconv>
#include <regex>
#include <sstream>
#include <vector>

namespace gpuhost::cuda {

namespace {

using text::trim;

// "N/A", "[N/A]", "[Not Supported]", "[Insufficient Permissions]": no value.
bool missing_value(const std::string &v) { return v.empty() || v == "N/A" || (v.front() == '[' && v.back() == ']'); }

// The whole text as a number of type T, or nothing when it is not one or
// does not fit (a garbled field must never throw out of the parser).
template <typename T>
std::optional<T> whole_number(const std::string &s) {
    T value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

// A field that looked like a number but could not be read: skipped, and said so.
void skip_field(SignalReport &r, const std::string &field, const std::string &value) {
    r.notes.push_back("nvidia-smi: " + field + " '" + value + "' is out of range; skipped");
}

std::optional<std::uint64_t> mib(const std::string &v, SignalReport &r, const std::string &field) {
    static const std::regex re(R"(^([0-9]+)(?:\s*MiB)?$)");
    std::smatch m;
    if (!std::regex_match(v, m, re)) return std::nullopt;
    constexpr std::uint64_t kMiB = 1024ull * 1024ull;
    auto n = whole_number<std::uint64_t>(m[1]);
    if (!n || *n > UINT64_MAX / kMiB) {
        skip_field(r, field, v);
        return std::nullopt;
    }
    return *n * kMiB;
}

// "12.7" -> 12070
int cuda_encoded(const std::string &v, SignalReport &r) {
    static const std::regex re(R"(^([0-9]+)\.([0-9]+)$)");
    std::smatch m;
    if (!std::regex_match(v, m, re)) return 0;
    auto major = whole_number<int>(m[1]), minor = whole_number<int>(m[2]);
    if (!major || !minor || *major > 100000 || *minor > 99) {
        skip_field(r, "CUDA version", v);
        return 0;
    }
    return *major * 1000 + *minor * 10;
}

void parse_cc(const std::string &v, GpuFacts &g, SignalReport &r) {
    static const std::regex re(R"(^([0-9]+)\.([0-9]+)$)");
    std::smatch m;
    if (!std::regex_match(v, m, re)) return;
    auto major = whole_number<int>(m[1]), minor = whole_number<int>(m[2]);
    if (!major || !minor) return skip_field(r, "compute capability", v);
    g.cc_major = *major;
    g.cc_minor = *minor;
}

SignalReport fail(SignalReport r, Failure why, std::string text) {
    r.failure = why;
    r.error = std::move(text);
    r.gpus.clear();
    return r;
}

SignalReport finish(SignalReport r, const char *form) {
    if (r.gpus.empty()) return fail(std::move(r), Failure::other, std::string("no GPU found in nvidia-smi ") + form + " output");
    r.failure = Failure::none;
    r.error.clear();
    return r;
}

}  // namespace

SignalReport parse_smi_failure(const std::string &text) {
    SignalReport r;
    r.signal = "nvidia-smi";
    r.failure = Failure::none;
    auto first_line = trim(text.substr(0, text.find('\n')));
    if (text.find("Driver/library version mismatch") != std::string::npos) {
        static const std::regex lib(R"(NVML library version:\s*([0-9.]+))");
        std::smatch m;
        if (std::regex_search(text, m, lib)) r.library_version = m[1];
        r.failure = Failure::mismatch;
    } else if (text.find("couldn't communicate with the NVIDIA driver") != std::string::npos ||
               text.find("Driver Not Loaded") != std::string::npos) {
        r.failure = Failure::no_driver;
    } else if (text.find("Insufficient Permissions") != std::string::npos &&
               text.find("Failed to initialize NVML") != std::string::npos) {
        r.failure = Failure::no_permission;
    } else if (text.rfind("No devices were found", 0) == 0) {
        r.failure = Failure::no_devices;
    } else if (text.find("Failed to initialize NVML") != std::string::npos ||
               text.find("NVIDIA-SMI has failed") != std::string::npos) {
        r.failure = Failure::other;
    }
    if (r.failure != Failure::none) r.error = "nvidia-smi: " + first_line;
    return r;
}

SignalReport parse_smi_csv(const std::string &text) {
    SignalReport r = parse_smi_failure(text);
    if (!r.ok()) return r;
    r.failure = Failure::other;
    std::istringstream in(text);
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (trim(line).empty()) continue;
        std::vector<std::string> f;
        std::stringstream cells(line);
        for (std::string cell; std::getline(cells, cell, ',');) f.push_back(trim(cell));
        if (f.size() != 8)
            return fail(r, Failure::other, "nvidia-smi CSV line " + std::to_string(line_no) + " has " +
                                               std::to_string(f.size()) + " fields, expected 8 (" +
                                               kSmiQueryFields + ")");
        GpuFacts g;
        g.index = whole_number<int>(f[0]);
        if (!g.index)
            return fail(r, Failure::other, "nvidia-smi CSV line " + std::to_string(line_no) + ": index '" + f[0] + "' is not a number");
        if (!missing_value(f[1])) g.name = f[1];
        if (!missing_value(f[2])) g.uuid = f[2];
        g.pci_bus_id = normalise_bus_id(f[3]);
        if (!missing_value(f[4])) g.memory_total = mib(f[4], r, "memory.total");
        if (!missing_value(f[5])) g.memory_free = mib(f[5], r, "memory.free");
        if (!missing_value(f[6])) r.driver_version = f[6];
        parse_cc(f[7], g, r);
        r.gpus.push_back(g);
    }
    return finish(std::move(r), "CSV");
}

SignalReport parse_smi_query(const std::string &text) {
    SignalReport r = parse_smi_failure(text);
    if (!r.ok()) return r;
    if (text.find("NVSMI LOG") == std::string::npos)
        return fail(r, Failure::other, "not an nvidia-smi -q report (no 'NVSMI LOG' header)");
    std::istringstream in(text);
    std::string section;  // the indented block a key belongs to ("FB Memory Usage")
    GpuFacts *gpu = nullptr;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        size_t indent = line.find_first_not_of(' ');
        if (indent == std::string::npos) continue;
        auto colon = line.find(" : ");
        std::string key = trim(colon == std::string::npos ? line : line.substr(0, colon));
        std::string value = colon == std::string::npos ? std::string() : trim(line.substr(colon + 3));
        if (indent == 0) {
            if (key.rfind("GPU ", 0) == 0 && colon == std::string::npos) {
                GpuFacts g;
                g.index = int(r.gpus.size());
                g.pci_bus_id = normalise_bus_id(key.substr(4));
                r.gpus.push_back(g);
                gpu = &r.gpus.back();
            } else if (key == "Driver Version" && !missing_value(value)) {
                r.driver_version = value;
            } else if (key == "CUDA Version" && !missing_value(value)) {
                r.cuda_version = cuda_encoded(value, r);
            }
            continue;
        }
        if (!gpu) continue;
        if (indent == 4) section = colon == std::string::npos ? key : std::string();
        if (missing_value(value)) continue;
        if (indent == 4 && key == "Product Name") gpu->name = value;
        else if (indent == 4 && key == "Product Architecture") gpu->architecture_name = value;
        else if (indent == 4 && key == "GPU UUID") gpu->uuid = value;
        else if (section == "PCI" && key == "Device Id" && value.size() == 10)
            gpu->pci_device_id = "0x" + std::string(value.substr(2, 4));
        else if (section == "FB Memory Usage" && key == "Total") gpu->memory_total = mib(value, r, "FB Memory Usage Total");
        else if (section == "FB Memory Usage" && key == "Free") gpu->memory_free = mib(value, r, "FB Memory Usage Free");
    }
    for (auto &g : r.gpus)
        for (auto &c : g.pci_device_id) c = char(std::tolower((unsigned char)c));
    return finish(std::move(r), "-q");
}

SignalReport parse_smi_table(const std::string &text) {
    SignalReport r = parse_smi_failure(text);
    if (!r.ok()) return r;
    static const std::regex header(R"(Driver Version:\s*([0-9.]+)(?:\s+CUDA Version:\s*([0-9.]+|N/A))?)");
    std::smatch m;
    if (!std::regex_search(text, m, header))
        return fail(r, Failure::other, "not an nvidia-smi table (no 'Driver Version:' header)");
    r.driver_version = m[1];
    if (m[2].matched) r.cuda_version = cuda_encoded(m[2], r);
    // "|   0  NVIDIA H100 80GB HBM3   On  |   00000000:18:00.0 Off |" then, next line,
    // "| N/A 30C P0 100W / 700W |  1MiB /  81559MiB |".
    static const std::regex row(R"(^\|\s+([0-9]+)\s+(.+?)\s+(?:On|Off|N/A|WDDM|TCC)\s+\|\s+([0-9A-Fa-f]+:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7]))");
    static const std::regex memory(R"(([0-9]+)MiB\s*/\s*([0-9]+)MiB)");
    std::istringstream in(text);
    GpuFacts *last = nullptr;
    for (std::string line; std::getline(in, line);) {
        if (std::regex_search(line, m, row)) {
            GpuFacts g;
            g.index = whole_number<int>(m[1]);
            if (!g.index) skip_field(r, "GPU index", m[1]);
            g.name = m[2];
            if (g.name.size() > 3 && g.name.compare(g.name.size() - 3, 3, "...") == 0) g.name_truncated = true;
            g.pci_bus_id = normalise_bus_id(m[3]);
            r.gpus.push_back(g);
            last = &r.gpus.back();
        } else if (last && std::regex_search(line, m, memory)) {
            // Used + free is not total (the driver reserves some), so only total is taken.
            last->memory_total = mib(m[2], r, "memory total");
            last = nullptr;
        }
    }
    return finish(std::move(r), "table");
}

}  // namespace gpuhost::cuda
