// Every tool output collected from public reports (tests/fixtures/outputs/,
// cited in SOURCES.tsv with the facts its report states) goes through the
// parser of the plugin that owns that tool, and the facts must come out:
// names, memory, driver versions, bus ids, gfx targets. Each output is also
// cut at every kStep bytes: no prefix may crash a parser, and the whole
// output may never read as "no GPU" when it names one.
#include "intel_tools.hpp"
#include "macos_parsers.hpp"
#include "opencl_probe.hpp"
#include "rocminfo_parser.hpp"
#include "smi_parser.hpp"
#include "vulkan_probe.hpp"
#ifdef GPUHOST_HAVE_CUDA_PARSERS
#include "nvidia_smi_parse.hpp"
#endif

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace gpuhost;

namespace {

const fs::path kOutputs = fs::path(GPUHOST_SOURCE_DIR) / "tests/fixtures/outputs";
constexpr size_t kStep = 7;

using Facts = std::map<std::string, std::string>;

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string mib(std::uint64_t bytes) { return std::to_string(bytes / (1024 * 1024)); }

void put(Facts &f, size_t i, const char *key, const std::string &value) {
    if (!value.empty()) f[std::to_string(i) + "." + key] = value;
}

// One SOURCES.tsv row: the file, where it came from, and the facts stated.
struct Source {
    std::string file, origin, url;
    Facts stated;
};

std::vector<Source> read_sources() {
    std::vector<Source> rows;
    std::istringstream in(slurp(kOutputs / "SOURCES.tsv"));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::vector<std::string> cols;
        std::stringstream cells(line);
        for (std::string c; std::getline(cells, c, '\t');) cols.push_back(c);
        BOOST_REQUIRE_MESSAGE(cols.size() == 4, "SOURCES.tsv row has " << cols.size() << " columns: " << line);
        Source s{cols[0], cols[1], cols[2], {}};
        std::stringstream facts(cols[3]);
        for (std::string item; std::getline(facts, item, ';');) {
            auto eq = item.find('=');
            BOOST_REQUIRE_MESSAGE(eq != std::string::npos, "fact without '=' in " << s.file << ": " << item);
            auto trim = [](std::string v) {
                v.erase(0, v.find_first_not_of(' '));
                v.erase(v.find_last_not_of(' ') + 1);
                return v;
            };
            s.stated[trim(item.substr(0, eq))] = trim(item.substr(eq + 1));
        }
        rows.push_back(std::move(s));
    }
    return rows;
}

#ifdef GPUHOST_HAVE_CUDA_PARSERS
Facts from_smi(const cuda::SignalReport &r) {
    Facts f;
    f["gpus"] = std::to_string(r.gpus.size());
    if (!r.driver_version.empty()) f["driver"] = r.driver_version;
    if (r.cuda_version) f["cuda"] = cuda::cuda_version_text(r.cuda_version);
    for (size_t i = 0; i < r.gpus.size(); ++i) {
        const auto &g = r.gpus[i];
        put(f, i, "name", g.name);
        if (g.memory_total) put(f, i, "memory_mib", mib(*g.memory_total));
        put(f, i, "bus", g.pci_bus_id);
        put(f, i, "uuid", g.uuid);
    }
    return f;
}
#endif

Facts from_records(const std::vector<sdk::DeviceRecord> &devices, const char *count_key) {
    Facts f;
    f[count_key] = std::to_string(devices.size());
    for (size_t i = 0; i < devices.size(); ++i) {
        const auto &d = devices[i];
        put(f, i, "name", d.name);
        put(f, i, "bus", d.pci_bus_id);
        put(f, i, "driver", d.driver_version);
        put(f, i, "type", d.type);
        put(f, i, "device_id", d.pci_device_id);
        put(f, i, "api", d.runtime_version);
        if (d.memory_total_bytes) put(f, i, "memory_mib", mib(*d.memory_total_bytes));
    }
    return f;
}

Facts from_smi_gpus(const std::vector<rocm::SmiGpu> &gpus) {
    Facts f;
    f["gpus"] = std::to_string(gpus.size());
    for (size_t i = 0; i < gpus.size(); ++i) {
        put(f, i, "name", gpus[i].name);
        put(f, i, "arch", gpus[i].gfx);
        put(f, i, "bus", gpus[i].bus_id);
        if (i == 0 && !gpus[i].driver_version.empty()) f["driver"] = gpus[i].driver_version;
    }
    return f;
}

Facts from_tool_gpus(const std::vector<intel::ToolGpu> &gpus) {
    Facts f;
    f["gpus"] = std::to_string(gpus.size());
    for (size_t i = 0; i < gpus.size(); ++i) {
        put(f, i, "name", gpus[i].name);
        put(f, i, "bus", gpus[i].bus_id);
        put(f, i, "driver", gpus[i].driver_version);
    }
    return f;
}

// The parser each folder's tool goes through, as its plugin calls it. A
// parser may throw std::runtime_error on text that is not its tool's output.
using Parser = std::function<Facts(const std::string &)>;

Parser parser_for(const std::string &file) {
    std::string folder = file.substr(0, file.find('/'));
    std::string base = file.substr(file.find('/') + 1);
#ifdef GPUHOST_HAVE_CUDA_PARSERS
    if (folder == "nvidia-smi") return [](const std::string &t) { return from_smi(cuda::parse_smi_table(t)); };
    if (folder == "nvidia-smi-q") return [](const std::string &t) { return from_smi(cuda::parse_smi_query(t)); };
    if (folder == "nvidia-smi-L") return [](const std::string &t) { return from_smi(cuda::parse_smi_list(t)); };
    if (folder == "nvidia-smi-xml") return [](const std::string &t) { return from_smi(cuda::parse_smi_xml(t)); };
    if (folder == "nvidia-smi-csv") return [](const std::string &t) { return from_smi(cuda::parse_smi_csv(t)); };
#endif
    if (folder == "rocminfo")
        return [](const std::string &t) {
            auto info = rocm::parse_rocminfo(t);
            Facts f;
            size_t n = 0;
            for (const auto &a : info.agents) {
                if (!a.is_gpu()) continue;
                put(f, n, "name", a.marketing_name);
                put(f, n, "arch", a.name);
                if (a.uuid != "GPU-XX") put(f, n, "uuid", a.uuid);
                ++n;
            }
            f["gpus"] = std::to_string(n);
            return f;
        };
    if (folder == "rocm-smi") return [](const std::string &t) { return from_smi_gpus(rocm::parse_rocm_smi_product(t)); };
    if (folder == "amd-smi") return [](const std::string &t) { return from_smi_gpus(rocm::parse_amd_smi_static(t)); };
    if (folder == "clinfo") return [](const std::string &t) { return from_records(opencl::parse_clinfo(t).devices, "devices"); };
    if (folder == "clinfo-l") return [](const std::string &t) { return from_records(opencl::parse_clinfo_list(t).devices, "devices"); };
    if (folder == "vulkaninfo")
        return [](const std::string &t) { return from_records(vulkan::parse_vulkaninfo_summary(t).devices, "devices"); };
    if (folder == "system_profiler") {
        bool json = base.rfind("json", 0) == 0;
        return [json](const std::string &t) {
            auto gpus = json ? mps::parse_displays_json(t) : mps::parse_displays_text(t);
            Facts f;
            f["gpus"] = std::to_string(gpus.size());
            for (size_t i = 0; i < gpus.size(); ++i) {
                put(f, i, "name", gpus[i].model);
                if (gpus[i].vram_bytes) put(f, i, "memory_mib", mib(*gpus[i].vram_bytes));
                if (gpus[i].cores) put(f, i, "cores", std::to_string(*gpus[i].cores));
            }
            return f;
        };
    }
    if (folder == "sycl-ls") return [](const std::string &t) { return from_tool_gpus(intel::parse_sycl_ls(t)); };
    if (folder == "xpu-smi") return [](const std::string &t) { return from_tool_gpus(intel::parse_xpu_smi_discovery(t)); };
    return {};
}

Facts run(const Parser &parse, const std::string &text, std::string &error) {
    try {
        return parse(text);
    } catch (const std::runtime_error &e) {
        error = e.what();
        return {};
    }
}

std::string count_key(const Facts &stated) { return stated.count("devices") ? "devices" : "gpus"; }

}  // namespace

BOOST_AUTO_TEST_CASE(sources_cite_every_output_and_every_output_is_cited) {
    auto rows = read_sources();
    std::set<std::string> cited;
    for (const auto &r : rows) {
        BOOST_TEST(fs::is_regular_file(kOutputs / r.file), r.file << " is cited but missing");
        BOOST_TEST(r.url.rfind("https://", 0) == 0, r.file << ": no URL");
        BOOST_TEST((r.origin.rfind("verbatim", 0) == 0 || r.origin.rfind("trimmed", 0) == 0), r.file << ": " << r.origin);
        BOOST_TEST(!r.stated.empty(), r.file << " states no facts");
        BOOST_TEST(cited.insert(r.file).second, r.file << " is cited twice");
    }
    size_t files = 0;
    for (const auto &e : fs::recursive_directory_iterator(kOutputs)) {
        if (!e.is_regular_file() || e.path().extension() != ".txt") continue;
        ++files;
        auto rel = fs::relative(e.path(), kOutputs).generic_string();
        BOOST_TEST(cited.count(rel) == 1u, rel << " is not cited in SOURCES.tsv");
    }
    BOOST_TEST(files >= 60u);
}

BOOST_AUTO_TEST_CASE(every_stated_fact_is_read_right) {
    size_t stated = 0, right = 0;
    std::map<std::string, std::pair<size_t, size_t>> per_tool;
    for (const auto &src : read_sources()) {
        auto parse = parser_for(src.file);
#ifndef GPUHOST_HAVE_CUDA_PARSERS
        if (!parse && src.file.rfind("nvidia-smi", 0) == 0) continue;  // built without the cuda plugin
#endif
        BOOST_REQUIRE_MESSAGE(parse, "no parser for " << src.file);
        std::string error;
        Facts got = run(parse, slurp(kOutputs / src.file), error);
        BOOST_TEST(error.empty(), src.file << ": " << error);
        auto &tool = per_tool[src.file.substr(0, src.file.find('/'))];
        for (const auto &[key, value] : src.stated) {
            ++stated;
            ++tool.first;
            auto it = got.find(key);
            std::string read = it == got.end() ? "(nothing)" : it->second;
            bool ok = read == value;
            right += ok;
            tool.second += ok;
            BOOST_TEST(ok, src.file << ": " << key << " stated '" << value << "', read " << read);
        }
    }
    for (const auto &[tool, n] : per_tool)
        BOOST_TEST_MESSAGE(tool << ": " << n.second << "/" << n.first << " stated facts read right");
    BOOST_TEST_MESSAGE("all outputs: " << right << "/" << stated << " stated facts read right");
    BOOST_TEST(stated > 150u);
}

BOOST_AUTO_TEST_CASE(no_output_that_names_a_gpu_reads_as_none) {
    for (const auto &src : read_sources()) {
        auto parse = parser_for(src.file);
        if (!parse) continue;
        std::string key = count_key(src.stated);
        auto it = src.stated.find(key);
        if (it == src.stated.end() || it->second == "0") continue;
        std::string error;
        Facts got = run(parse, slurp(kOutputs / src.file), error);
        BOOST_TEST((got.count(key) && got[key] != "0"), src.file << " names " << it->second << " but reads as none: " << error);
    }
}

BOOST_AUTO_TEST_CASE(every_cut_of_every_output_is_survived) {
    // A tool killed mid-write, a paste cut short: each prefix parses to at
    // most what the whole output holds, or is refused with a runtime_error.
    for (const auto &src : read_sources()) {
        auto parse = parser_for(src.file);
        if (!parse) continue;
        std::string text = slurp(kOutputs / src.file);
        std::string error;
        Facts whole = run(parse, text, error);
        std::string key = count_key(src.stated);
        size_t whole_count = whole.count(key) ? std::stoul(whole[key]) : 0;
        for (size_t cut = 0; cut < text.size(); cut += kStep) {
            std::string cut_error;
            Facts part = run(parse, text.substr(0, cut), cut_error);
            size_t n = part.count(key) ? std::stoul(part[key]) : 0;
            BOOST_TEST(n <= whole_count, src.file << " cut at " << cut << " reads " << n << " devices, the whole " << whole_count);
        }
    }
}
