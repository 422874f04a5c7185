// nvidia-smi and procfs text parsers: recorded outputs from real machines,
// their failure messages, and broken or cut-off text, which must give a clear
// error and never a crash.
#include "compute_capability.hpp"
#include "cublas_library.hpp"
#include "nvidia_procfs.hpp"
#include "nvidia_smi_parse.hpp"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <map>
#include <set>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace gpuhost::cuda;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string &machine, const std::string &file) {
    std::ifstream in(fs::path(GPUHOST_FIXTURES) / "machines" / machine / file, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "missing fixture " + machine + "/" + file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

constexpr std::uint64_t MiB = 1024ull * 1024ull;

}  // namespace

BOOST_AUTO_TEST_CASE(query_report_of_eight_h100s) {
    auto r = parse_smi_query(fixture("nvidia-multi-gpu-server", "tools/nvidia-smi_-q.txt"));
    BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
    BOOST_TEST(r.driver_version == "565.57.01");
    BOOST_TEST(cuda_version_text(r.cuda_version) == "12.7");
    BOOST_REQUIRE_EQUAL(r.gpus.size(), 8u);
    const auto &first = r.gpus.front(), &last = r.gpus.back();
    BOOST_TEST(first.name == "NVIDIA H100 80GB HBM3");
    BOOST_TEST(first.uuid == "GPU-b42dd28e-ffdd-8720-1df0-98bd8cdc05b1");
    BOOST_TEST(first.pci_bus_id == "0000:18:00.0");
    BOOST_TEST(first.pci_device_id == "0x2330");
    BOOST_TEST(first.architecture_name == "Hopper");
    BOOST_TEST(*first.memory_total == 81559 * MiB);  // FB Memory Usage, not BAR1 (131072 MiB)
    BOOST_TEST(*first.memory_free == 81106 * MiB);
    BOOST_TEST(last.pci_bus_id == "0000:db:00.0");
}

BOOST_AUTO_TEST_CASE(default_table_of_eight_h100s_and_wsl) {
    auto r = parse_smi_table(fixture("nvidia-multi-gpu-server", "tools/nvidia-smi.txt"));
    BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
    BOOST_TEST(r.driver_version == "565.57.01");
    BOOST_TEST(r.cuda_version == 12070);
    BOOST_REQUIRE_EQUAL(r.gpus.size(), 8u);
    BOOST_TEST(r.gpus[3].pci_bus_id == "0000:5d:00.0");
    BOOST_TEST(*r.gpus[3].memory_total == 81559 * MiB);
    BOOST_TEST(!r.gpus[3].memory_free.has_value());  // the table's used + free is not total

    auto wsl = parse_smi_table(fixture("wsl2-nvidia", "tools/nvidia-smi.txt"));
    BOOST_REQUIRE_MESSAGE(wsl.ok(), wsl.error);
    BOOST_TEST(wsl.driver_version == "572.16");  // the Windows driver, not NVIDIA-SMI 570.86.16
    BOOST_REQUIRE_EQUAL(wsl.gpus.size(), 1u);
    BOOST_TEST(wsl.gpus[0].name_truncated);
    BOOST_TEST(wsl.gpus[0].pci_bus_id == "0000:06:00.0");
}

BOOST_AUTO_TEST_CASE(csv_query_with_missing_values) {
    // Shape of --query-gpu=...,compute_cap --format=csv,noheader,nounits; N/A and [N/A] both occur.
    auto r = parse_smi_csv("0, NVIDIA GeForce RTX 3090, GPU-11111111-2222-3333-4444-555555555555, 00000000:01:00.0, 24576, 24000, 550.54.14, 8.6\n"
                           "1, NVIDIA A100-SXM4-40GB, [N/A], 00000000:81:00.0, N/A, [N/A], 550.54.14, 8.0\n");
    BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
    BOOST_REQUIRE_EQUAL(r.gpus.size(), 2u);
    BOOST_TEST(r.gpus[0].cc_major == 8);
    BOOST_TEST(r.gpus[0].cc_minor == 6);
    BOOST_TEST(*r.gpus[0].memory_total == 24576 * MiB);
    BOOST_TEST(r.gpus[1].uuid.empty());
    BOOST_TEST(!r.gpus[1].memory_total.has_value());
    BOOST_TEST(r.gpus[1].pci_bus_id == "0000:81:00.0");
    BOOST_TEST(r.driver_version == "550.54.14");
}

BOOST_AUTO_TEST_CASE(csv_with_wrong_field_count_or_index_is_an_error) {
    auto r = parse_smi_csv("0, NVIDIA GeForce RTX 3090, GPU-1, 00000000:01:00.0\n");
    BOOST_TEST(!r.ok());
    BOOST_TEST(r.error.find("line 1 has 4 fields, expected 8") != std::string::npos, r.error);
    auto bad_index = parse_smi_csv("zero, a, b, 00000000:01:00.0, 1, 1, 1, 8.6\n");
    BOOST_TEST(bad_index.error.find("index 'zero' is not a number") != std::string::npos, bad_index.error);
    // Old drivers reject compute_cap: their message must not be taken for data.
    auto old = parse_smi_csv("Field \"compute_cap\" is not a valid field to query.\n");
    BOOST_TEST(!old.ok());
}

BOOST_AUTO_TEST_CASE(numbers_too_big_are_skipped_with_a_note) {
    const std::string huge = "99999999999999999999999999";  // beyond 64 bits
    auto csv = parse_smi_csv("0, GPU, GPU-1, 00000000:01:00.0, " + huge + ", 17592186044416, 550.54.14, " + huge + ".0\n");
    BOOST_REQUIRE_MESSAGE(csv.ok(), csv.error);
    BOOST_REQUIRE_EQUAL(csv.gpus.size(), 1u);
    BOOST_TEST(!csv.gpus[0].memory_total.has_value());
    BOOST_TEST(!csv.gpus[0].memory_free.has_value());  // 2^44 MiB is 2^64 bytes: no fit either
    BOOST_TEST(csv.gpus[0].cc_major == -1);
    BOOST_REQUIRE_EQUAL(csv.notes.size(), 3u);
    BOOST_TEST(csv.notes[0] == "nvidia-smi: memory.total '" + huge + "' is out of range; skipped");
    BOOST_TEST(parse_smi_csv(huge + ", GPU, GPU-1, 00000000:01:00.0, 1, 1, 1, 8.6\n").error.find("is not a number") !=
               std::string::npos);

    // The default table: an index and a memory total out of range, and a CUDA version.
    auto table = parse_smi_table("| NVIDIA-SMI 565.57.01   Driver Version: 565.57.01   CUDA Version: " + huge + ".7 |\n"
                                 "|   " + huge + "  NVIDIA H100 80GB HBM3   On  |   00000000:18:00.0 Off |\n"
                                 "| N/A 30C P0 100W / 700W |  1MiB /  " + huge + "MiB |\n");
    BOOST_REQUIRE_MESSAGE(table.ok(), table.error);
    BOOST_REQUIRE_EQUAL(table.gpus.size(), 1u);
    BOOST_TEST(!table.gpus[0].index.has_value());
    BOOST_TEST(!table.gpus[0].memory_total.has_value());
    BOOST_TEST(table.cuda_version == 0);
    BOOST_TEST(table.notes.size() == 3u);
}

BOOST_AUTO_TEST_CASE(driver_library_mismatch_messages_from_two_machines) {
    for (const auto &[machine, library] : {std::pair{"nvidia-driver-library-mismatch", "580.178"},
                                          std::pair{"nvidia-mismatch-open-kernel-module", "580.159"}}) {
        auto text = fixture(machine, "tools/nvidia-smi.txt");
        for (auto *parse : {&parse_smi_csv, &parse_smi_query, &parse_smi_table, &parse_smi_xml, &parse_smi_list}) {
            auto r = parse(text);
            BOOST_TEST((r.failure == Failure::mismatch), machine);
            BOOST_TEST(r.library_version == library);
            BOOST_TEST(r.error.find("Driver/library version mismatch") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(no_driver_message) {
    auto r = parse_smi_table(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest "
        "NVIDIA driver is installed and running.\n\n");
    BOOST_TEST((r.failure == Failure::no_driver));
    BOOST_TEST(r.error.find("couldn't communicate") != std::string::npos);
    BOOST_TEST((parse_smi_query("No devices were found\n").failure == Failure::no_devices));
}

BOOST_AUTO_TEST_CASE(garbage_and_empty_text_give_reasons) {
    for (const std::string text : {"", "\n\n", "segmentation fault\n", "\x01\x02\xff binary"}) {
        for (auto *parse : {&parse_smi_csv, &parse_smi_query, &parse_smi_table, &parse_smi_xml, &parse_smi_list}) {
            auto r = parse(text);
            BOOST_TEST(!r.ok());
            BOOST_TEST(!r.error.empty());
            BOOST_TEST(r.gpus.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(every_truncation_of_real_reports_is_survived) {
    // Cut the recordings at many points (a tool killed mid-write): each prefix
    // either parses to consistent GPUs or fails with a reason.
    for (const auto &[file, parse] : {std::pair{"tools/nvidia-smi_-q.txt", &parse_smi_query},
                                      std::pair{"tools/nvidia-smi.txt", &parse_smi_table}}) {
        auto text = fixture("nvidia-multi-gpu-server", file);
        for (std::size_t cut = 0; cut < text.size(); cut += 37) {
            auto r = parse(text.substr(0, cut));
            if (r.ok()) {
                BOOST_TEST(r.gpus.size() <= 8u);
                for (const auto &g : r.gpus)
                    if (g.memory_total) BOOST_TEST(*g.memory_total <= 81559 * MiB);
            } else {
                BOOST_TEST(!r.error.empty());
            }
        }
        // The first GPU is complete once its block has ended.
        auto half = parse(text.substr(0, text.size() / 2));
        BOOST_TEST(half.ok());
    }
}

BOOST_AUTO_TEST_CASE(procfs_texts) {
    bool open = true;
    BOOST_TEST(parse_nvrm_version(fixture("nvidia-driver-library-mismatch", "proc/driver/nvidia/version"), &open) == "580.173.02");
    BOOST_TEST(!open);
    BOOST_TEST(parse_nvrm_version(fixture("nvidia-mismatch-open-kernel-module", "proc/driver/nvidia/version"), &open) == "580.126.09");
    BOOST_TEST(open);
    BOOST_TEST(parse_nvrm_version("GCC version: 12\n").empty());
    BOOST_TEST(parse_tegra_release(fixture("jetson", "etc/nv_tegra_release")) == "R35.3.1");
    BOOST_TEST(parse_tegra_release("garbage").empty());
    // Layout of /proc/driver/nvidia/gpus/<bus>/information (keys, tabs).
    auto g = parse_gpu_information("Model: \t\t NVIDIA GeForce RTX 3090\nIRQ:   \t\t 140\nGPU UUID: \t GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n"
                                   "Video BIOS: \t 94.02.42.00.a9\nBus Type: \t PCIe\nBus Location: \t 0000:01:00.0\nDevice Minor: \t 0\n");
    BOOST_TEST(g.name == "NVIDIA GeForce RTX 3090");
    BOOST_TEST(g.uuid == "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    BOOST_TEST(g.pci_bus_id == "0000:01:00.0");
}

BOOST_AUTO_TEST_CASE(bus_ids_and_versions_normalise) {
    BOOST_TEST(normalise_bus_id("00000000:2A:00.0") == "0000:2a:00.0");
    BOOST_TEST(normalise_bus_id("01:00.0") == "0000:01:00.0");
    BOOST_TEST(normalise_bus_id("0000:01:00.0") == "0000:01:00.0");
    BOOST_TEST(normalise_bus_id("N/A").empty());
    BOOST_TEST(normalise_bus_id("0000:01:00").empty());
    BOOST_TEST(cuda_version_text(12070) == "12.7");
    BOOST_TEST(cuda_version_text(11080) == "11.8");
    BOOST_TEST(cuda_version_text(0).empty());
}

BOOST_AUTO_TEST_CASE(compute_capability_tables) {
    BOOST_TEST((*tegra_compute_capability("tegra234") == ComputeCapability{8, 7}));
    BOOST_TEST(!tegra_compute_capability("tegra23x").has_value());
    BOOST_TEST((*architecture_compute_capability("Ampere", "NVIDIA A100-SXM4-80GB") == ComputeCapability{8, 0}));
    BOOST_TEST((*architecture_compute_capability("Ampere", "NVIDIA GeForce RTX 3090") == ComputeCapability{8, 6}));
    BOOST_TEST(!architecture_compute_capability("Maxwell", "Tesla M40").has_value());
    BOOST_TEST((cuda_features({5, 2}) == std::vector<std::string>{"fp64"}));
    BOOST_TEST((cuda_features({7, 5}) == std::vector<std::string>{"fp16", "fp64"}));
    BOOST_TEST((cuda_features({9, 0}) == std::vector<std::string>{"bf16", "fp16", "fp64"}));
}

BOOST_AUTO_TEST_CASE(both_header_generations_give_the_kmd_and_umd_versions) {
    // The two header lines as the 5xx and 6xx drivers print them (the 6xx one from
    // https://github.com/sgl-project/sglang/issues/27487; the whole outputs are in
    // tests/fixtures/outputs/nvidia-smi/).
    const std::string row = "|   0  NVIDIA B200                    On  |   00000000:63:00.0 Off |                    0 |\n"
                            "| N/A   26C    P0            139W / 1000W |       0MiB / 183359MiB |      0%      Default |\n";
    auto old_header = parse_smi_table("| NVIDIA-SMI 580.126.09             Driver Version: 580.126.09     CUDA Version: 13.0     |\n" + row);
    auto new_header = parse_smi_table("| NVIDIA-SMI 610.43.02              KMD Version: 610.43.02     CUDA UMD Version: 13.3     |\n" + row);
    for (const auto *r : {&old_header, &new_header}) {
        BOOST_REQUIRE_MESSAGE(r->ok(), r->error);
        BOOST_TEST(r->gpus.size() == 1u);
        BOOST_TEST(*r->gpus[0].memory_total == 183359 * MiB);
    }
    BOOST_TEST(old_header.driver_version == "580.126.09");
    BOOST_TEST(cuda_version_text(old_header.cuda_version) == "13.0");
    BOOST_TEST(new_header.driver_version == "610.43.02");
    BOOST_TEST(cuda_version_text(new_header.cuda_version) == "13.3");
    // -q from a 6xx driver prints both labels, the old ones marked deprecated
    // (the CUDA note as quoted in https://github.com/PrismML-Eng/Bonsai-demo/pull/122;
    // the Driver Version note is assumed to read alike): the new ones are read.
    auto q = parse_smi_query("==============NVSMI LOG==============\n\n"
                             "Driver Version                            : 610.43.02 [Deprecated; will be removed. Use KMD Version instead]\n"
                             "KMD Version                               : 610.43.02\n"
                             "CUDA Version                              : 13.3 [Deprecated; will be removed in CUDA 14.0. Use CUDA UMD Version instead]\n"
                             "CUDA UMD Version                          : 13.3\n\n"
                             "Attached GPUs                             : 1\n"
                             "GPU 00000000:63:00.0\n"
                             "    Product Name                          : NVIDIA B200\n");
    BOOST_REQUIRE_MESSAGE(q.ok(), q.error);
    BOOST_TEST(q.driver_version == "610.43.02");
    BOOST_TEST(cuda_version_text(q.cuda_version) == "13.3");
    BOOST_TEST(q.gpus.at(0).name == "NVIDIA B200");
}

BOOST_AUTO_TEST_CASE(csv_with_a_header_line_is_read_by_column_name) {
    // --format=csv without noheader/nounits: a header naming the columns with their
    // units ("memory.total [MiB]", as the nvidia-smi man page documents) and values
    // with units. Constructed, since no such output was found posted publicly.
    auto r = parse_smi_csv("name, pci.bus_id, memory.total [MiB], driver_version\n"
                           "NVIDIA GeForce RTX 4090, 00000000:01:00.0, 24564 MiB, 550.54.14\n"
                           "NVIDIA GeForce RTX 4090, 00000000:41:00.0, 24564 MiB, 550.54.14\n");
    BOOST_REQUIRE_MESSAGE(r.ok(), r.error);
    BOOST_REQUIRE_EQUAL(r.gpus.size(), 2u);
    BOOST_TEST(r.gpus[1].name == "NVIDIA GeForce RTX 4090");
    BOOST_TEST(r.gpus[1].pci_bus_id == "0000:41:00.0");
    BOOST_TEST(*r.gpus[1].memory_total == 24564 * MiB);
    BOOST_TEST(*r.gpus[1].index == 1);
    BOOST_TEST(r.driver_version == "550.54.14");
    auto short_row = parse_smi_csv("name, memory.total [MiB]\nNVIDIA A100\n");
    BOOST_TEST(!short_row.ok());
    BOOST_TEST(short_row.error.find("the header names 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(cublas_is_sought_in_the_python_env_the_loader_path_the_driver_and_the_toolkit) {
    std::map<std::string, std::string> vars = {{"VIRTUAL_ENV", "/venv"}, {"CUDA_HOME", "/opt/cuda"}, {"HOME", "/home/u"}};
    auto env = [&](const char *v) -> const char * {
        auto it = vars.find(v);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
    // The machine's folders that exist: a venv with PyTorch's CUDA 12 wheels, and the user's site-packages.
    std::set<std::string> dirs = {"/venv/lib/python3.12/site-packages/nvidia/cublas/lib",
                                  "/home/u/.local/lib/python3.11/site-packages/nvidia/cu13/lib"};
    auto glob = [&](const std::string &pattern) {
        std::vector<std::string> out;
        for (const auto &d : dirs) {
            // "*" stands for one path piece in these patterns ("python3*").
            auto star = pattern.find('*');
            if (star == std::string::npos ? d == pattern
                                          : d.compare(0, star, pattern, 0, star) == 0 &&
                                                d.size() >= pattern.size() - star - 1 &&
                                                d.compare(d.size() - (pattern.size() - star - 1), std::string::npos,
                                                          pattern, star + 1) == 0)
                out.push_back(d);
        }
        return out;
    };
    auto list = gpuhost::cuda::cublas_candidates(env, glob, "/usr/lib/x86_64-linux-gnu");
    auto at = [&](const std::string &path) {
        auto it = std::find(list.begin(), list.end(), path);
        BOOST_TEST_INFO(path);
        BOOST_TEST((it != list.end()));
        return it - list.begin();
    };
    auto venv = at("/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.12");
    auto bare = at("libcublas.so.13");
    auto driver = at("/usr/lib/x86_64-linux-gnu/libcublas.so.13");
    auto home = at("/opt/cuda/lib64/libcublas.so.12");
    auto toolkit = at("/usr/local/cuda/lib64/libcublas.so.13");
    auto user = at("/home/u/.local/lib/python3.11/site-packages/nvidia/cu13/lib/libcublas.so.13");
    BOOST_TEST(venv < bare);
    BOOST_TEST(bare < driver);
    BOOST_TEST(driver < home);
    BOOST_TEST(home < toolkit);
    BOOST_TEST(toolkit < user);
    // The newest soname first in each folder; the plain name last.
    BOOST_TEST(at("/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.13") < venv);
    BOOST_TEST(at("/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so") > venv);
    // The override is the only candidate when set.
    vars["GPUHOST_CUBLAS_LIBRARY"] = "/tmp/fake/libcublas.so";
    BOOST_TEST((gpuhost::cuda::cublas_candidates(env, glob, "/usr/lib") == std::vector<std::string>{"/tmp/fake/libcublas.so"}));
}
