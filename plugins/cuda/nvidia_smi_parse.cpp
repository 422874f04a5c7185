#include "nvidia_smi_parse.hpp"

#include "gpuhost/text.hpp"

#include <algorithm>
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

// "13.3 [Deprecated; ...]" -> "13.3"
std::string first_word(const std::string &v) { return v.substr(0, v.find_first_of(" \t")); }

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

namespace {

std::vector<std::string> csv_cells(const std::string &line) {
    std::vector<std::string> f;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(trim(cell));
    return f;
}

// "memory.total [MiB]" -> "memory.total"; "gpu_name" and friends -> the main name.
std::string csv_column(std::string header) {
    header = trim(header.substr(0, header.find('[')));
    if (header == "gpu_name") return "name";
    if (header == "gpu_uuid") return "uuid";
    if (header == "gpu_bus_id") return "pci.bus_id";
    return header;
}

// "81559 MiB" -> "81559" (the csv format without nounits).
std::string without_unit(const std::string &v) {
    auto space = v.find(' ');
    return space != std::string::npos && v.compare(space, 4, " MiB") == 0 ? v.substr(0, space) : v;
}

}  // namespace

SignalReport parse_smi_csv(const std::string &text) {
    SignalReport r = parse_smi_failure(text);
    if (!r.ok()) return r;
    r.failure = Failure::other;
    std::istringstream in(text);
    int line_no = 0;
    std::vector<std::string> columns;  // from the header line, when there is one
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line).empty()) continue;
        auto f = csv_cells(line);
        bool header = columns.empty() && r.gpus.empty() && !f.empty() &&
                      std::any_of(f.begin(), f.end(), [](const std::string &c) {
                          auto col = csv_column(c);
                          return col == "name" || col == "index" || col == "uuid" || col == "pci.bus_id" ||
                                 col == "memory.total" || col == "driver_version";
                      });
        if (header) {
            for (const auto &c : f) columns.push_back(csv_column(c));
            continue;
        }
        if (columns.empty() && f.size() != 8)
            return fail(r, Failure::other, "nvidia-smi CSV line " + std::to_string(line_no) + " has " +
                                               std::to_string(f.size()) + " fields, expected 8 (" +
                                               kSmiQueryFields + ")");
        if (!columns.empty() && f.size() != columns.size())
            return fail(r, Failure::other, "nvidia-smi CSV line " + std::to_string(line_no) + " has " +
                                               std::to_string(f.size()) + " fields, the header names " +
                                               std::to_string(columns.size()));
        static const std::vector<std::string> fixed = {"index", "name", "uuid", "pci.bus_id", "memory.total",
                                                       "memory.free", "driver_version", "compute_cap"};
        const auto &names = columns.empty() ? fixed : columns;
        auto cell = [&](const char *name) -> std::string {
            auto it = std::find(names.begin(), names.end(), name);
            return it == names.end() ? std::string() : f[size_t(it - names.begin())];
        };
        GpuFacts g;
        if (auto idx = cell("index"); !idx.empty() || columns.empty()) {
            g.index = whole_number<int>(idx);
            if (!g.index)
                return fail(r, Failure::other, "nvidia-smi CSV line " + std::to_string(line_no) + ": index '" + idx + "' is not a number");
        } else {
            g.index = int(r.gpus.size());
        }
        if (auto v = cell("name"); !missing_value(v)) g.name = v;
        if (auto v = cell("uuid"); !missing_value(v)) g.uuid = v;
        g.pci_bus_id = normalise_bus_id(cell("pci.bus_id"));
        if (auto v = without_unit(cell("memory.total")); !missing_value(v)) g.memory_total = mib(v, r, "memory.total");
        if (auto v = without_unit(cell("memory.free")); !missing_value(v)) g.memory_free = mib(v, r, "memory.free");
        if (auto v = cell("driver_version"); !missing_value(v)) r.driver_version = v;
        parse_cc(cell("compute_cap"), g, r);
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
            } else if ((key == "KMD Version" || key == "Driver Version") && !missing_value(first_word(value))) {
                // 6xx drivers print both, the old one marked deprecated: the new label wins.
                if (key == "KMD Version" || r.driver_version.empty()) r.driver_version = first_word(value);
            } else if ((key == "CUDA UMD Version" || key == "CUDA Version") && !missing_value(first_word(value))) {
                if (key == "CUDA UMD Version" || !r.cuda_version) r.cuda_version = cuda_encoded(first_word(value), r);
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
    // "Driver Version: 550.40.07   CUDA Version: 12.4" (before the 6xx drivers) or
    // "KMD Version: 610.43.02     CUDA UMD Version: 13.3" (6xx and later).
    static const std::regex header(
        R"((?:Driver|KMD) Version:\s*([0-9.]+)(?:\s+CUDA (?:UMD )?Version:\s*([0-9.]+|N/A|ERR!))?)");
    std::smatch m;
    if (!std::regex_search(text, m, header))
        return fail(r, Failure::other, "not an nvidia-smi table (no 'Driver Version:' or 'KMD Version:' header)");
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

namespace gpuhost::cuda {

SignalReport parse_smi_xml(const std::string &text) {
    SignalReport r = parse_smi_failure(text);
    if (!r.ok()) return r;
    if (text.find("<nvidia_smi_log") == std::string::npos)
        return fail(r, Failure::other, "not an nvidia-smi -q -x report (no <nvidia_smi_log> element)");
    // One element per line, as nvidia-smi writes it: "<tag>value</tag>", an
    // opening "<tag>" (a section), or "<gpu id="00000000:01:00.0">".
    static const std::regex leaf(R"(^\s*<([a-z0-9_]+)>([^<]*)</\1>)");
    static const std::regex open(R"(^\s*<([a-z0-9_]+)(\s[^>]*)?>\s*$)");
    static const std::regex close(R"(^\s*</([a-z0-9_]+)>)");
    static const std::regex gpu_open(R"re(^\s*<gpu id="([^"]*)">)re");
    std::vector<std::string> sections;  // open elements below <gpu>
    GpuFacts *gpu = nullptr;
    std::istringstream in(text);
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
        if (std::regex_search(line, m, gpu_open)) {
            GpuFacts g;
            g.index = int(r.gpus.size());
            g.pci_bus_id = normalise_bus_id(m[1]);
            r.gpus.push_back(g);
            gpu = &r.gpus.back();
            sections.clear();
            continue;
        }
        if (std::regex_search(line, m, leaf)) {
            std::string tag = m[1], value = trim(m[2]);
            if (missing_value(value)) continue;
            std::string section = sections.empty() ? std::string() : sections.back();
            if (!gpu) {
                if (tag == "kmd_version" || (tag == "driver_version" && r.driver_version.empty())) r.driver_version = value;
                else if (tag == "cuda_umd_version" || (tag == "cuda_version" && !r.cuda_version))
                    r.cuda_version = cuda_encoded(value, r);
                continue;
            }
            if (!sections.empty() && section != "fb_memory_usage" && section != "pci") continue;
            if (section.empty() && tag == "product_name") gpu->name = value;
            else if (section.empty() && tag == "product_architecture") gpu->architecture_name = value;
            else if (section.empty() && tag == "uuid") gpu->uuid = value;
            else if (section == "fb_memory_usage" && tag == "total") gpu->memory_total = mib(value, r, "fb_memory_usage total");
            else if (section == "fb_memory_usage" && tag == "free") gpu->memory_free = mib(value, r, "fb_memory_usage free");
            else if (section == "pci" && tag == "pci_device_id" && value.size() == 10) {
                gpu->pci_device_id = "0x" + value.substr(2, 4);
                for (auto &c : gpu->pci_device_id) c = char(std::tolower((unsigned char)c));
            }
            continue;
        }
        if (std::regex_search(line, m, close)) {
            if (m[1] == "gpu") gpu = nullptr;
            else if (!sections.empty()) sections.pop_back();
            continue;
        }
        if (gpu && std::regex_search(line, m, open)) sections.push_back(m[1]);
    }
    return finish(std::move(r), "-q -x");
}

SignalReport parse_smi_list(const std::string &text) {
    SignalReport r = parse_smi_failure(text);
    if (!r.ok()) return r;
    // "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-513536b6-...)"; a line cut before
    // its UUID still names the GPU.
    static const std::regex gpu_line(R"(^GPU ([0-9]+): (.+?)(?: \(UUID: (GPU-[0-9a-fA-F-]+)\))?\s*$)");
    std::istringstream in(text);
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!std::regex_match(line, m, gpu_line)) continue;
        GpuFacts g;
        g.index = whole_number<int>(m[1]);
        g.name = trim(m[2]);
        if (auto p = g.name.find(" (UUID"); p != std::string::npos) g.name = trim(g.name.substr(0, p));
        if (m[3].matched) g.uuid = m[3];
        if (g.name.empty()) continue;
        r.gpus.push_back(g);
    }
    return finish(std::move(r), "-L");
}

}  // namespace gpuhost::cuda
