// `gpuhost export variants`: the properties the wheelnext providers would report
// (commits in host/export/variant_providers.hpp) for the recorded H100 server,
// the H200 recording, the RX 7900 XTX and an Arc card; and the command's
// --all folder and its refusals.
#include "export/export_support.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include "export/variant_providers.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace gpuhost;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

json::object variants(std::vector<std::string> args, std::map<std::string, std::string> env = test::quiet_env()) {
    args.insert(args.begin(), {"variants", "--json"});
    auto r = test::run_export(args, std::move(env));
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    return json::parse(r.output).as_object();
}

std::vector<std::string> values(const json::object &v, const char *ns, const char *feature) {
    std::vector<std::string> out;
    const auto &props = v.at("properties").as_object();
    if (!props.contains(ns) || !props.at(ns).as_object().contains(feature)) return out;
    for (const auto &x : props.at(ns).at(feature).as_array()) out.emplace_back(x.as_string());
    return out;
}

bool has(const std::vector<std::string> &v, const std::string &x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

BOOST_AUTO_TEST_CASE(h100_server_as_the_nvidia_provider_reports_it) {
    auto v = variants({"--sysroot", test::machine("nvidia-multi-gpu-server")});
    // The provider's own docstring example is a driver with CUDA 12.7, this machine's:
    // lower bound 12.7 .. 12.0, 12, 11.20 .. 11.0, 11; upper bound 15.20 .. 15, .. 13.0, 13, .., 12.9, 12.8.
    auto lower = values(v, "nvidia", "cuda_version_lower_bound");
    BOOST_REQUIRE_EQUAL(lower.size(), 8u + 1 + 21 + 1);
    BOOST_TEST(lower.front() == "12.7");
    BOOST_TEST(lower[7] == "12.0");
    BOOST_TEST(lower[8] == "12");
    BOOST_TEST(lower[9] == "11.20");
    BOOST_TEST(lower.back() == "11");
    auto upper = values(v, "nvidia", "cuda_version_upper_bound");
    BOOST_REQUIRE_EQUAL(upper.size(), 22u + 22 + 22 + 13);
    BOOST_TEST(upper.front() == "15.20");
    BOOST_TEST(upper[21] == "15");
    BOOST_TEST(upper.back() == "12.8");
    BOOST_TEST(has(upper, "13"));
    BOOST_TEST(!has(upper, "12"), "the version's own major is no upper bound");
    BOOST_TEST(!has(upper, "12.7"));
    // Compute capability 9.0: its real arch, then the major's virtual arch.
    BOOST_TEST((values(v, "nvidia", "sm_arch") == std::vector<std::string>{"90_real", "90_virtual"}));
    BOOST_TEST(v.at("devices").as_array().size() == 8u);
    BOOST_TEST(v.at("default-priorities").at("namespace").as_array().at(0).as_string() == "nvidia");
}

BOOST_AUTO_TEST_CASE(h200_recording_with_its_cpu) {
    auto v = variants({"--sysroot", test::h200_recording()});
    // Driver 580.159.04 reports CUDA 13.0 (MEASURED.md of the recording).
    auto lower = values(v, "nvidia", "cuda_version_lower_bound");
    BOOST_REQUIRE_EQUAL(lower.size(), 1u + 1 + 22 + 22);
    BOOST_TEST((std::vector<std::string>(lower.begin(), lower.begin() + 3) == std::vector<std::string>{"13.0", "13", "12.20"}));
    auto upper = values(v, "nvidia", "cuda_version_upper_bound");
    BOOST_TEST(upper.size() == 22u + 22 + 20);
    BOOST_TEST(upper.back() == "13.1");
    BOOST_TEST((values(v, "nvidia", "sm_arch") == std::vector<std::string>{"90_real", "90_virtual"}));
    // A Xeon with AVX-512 (F, BW, CD, DQ, VL in the recorded /proc/cpuinfo): x86-64-v4.
    BOOST_TEST((values(v, "x86_64", "level") == std::vector<std::string>{"v4", "v3", "v2", "v1"}));
    auto order = v.at("default-priorities").at("namespace").as_array();
    BOOST_TEST(order.size() == 2u);
    BOOST_TEST(order.at(0).as_string() == "nvidia", "the GPU before the CPU");
    BOOST_TEST(test::contains(json::serialize(v.at("property_strings")), "\"nvidia :: sm_arch :: 90_real\""));
}

BOOST_AUTO_TEST_CASE(rx_7900_xtx_as_the_amd_provider_reports_it) {
    auto v = variants({"--sysroot", test::machine("amd-rdna3-discrete")});
    BOOST_TEST((values(v, "amd", "gfx_arch") == std::vector<std::string>{"gfx1100"}));
    // The recording has no ROCm version file and no rocm-smi: the provider would report none.
    BOOST_TEST(values(v, "amd", "rocm_version").empty());
    // gfx1031 is outside the provider's list of known targets: it reports no gfx_arch.
    auto override_machine = variants({"--sysroot", test::machine("amd-gfx1031-override")});
    BOOST_TEST(values(override_machine, "amd", "gfx_arch").empty());
}

BOOST_AUTO_TEST_CASE(arc_cards_as_the_intel_provider_reports_them) {
    // The A770 (DG2-G10) with Level Zero answering: GT GMDID 12.55.8 (acm-g10 in devices.py).
    auto a770 = variants({"--sysroot", test::machine("intel-arc-a770-clinfo")},
                         {{"XDG_DATA_HOME", "/nonexistent-gpuhost-data"},
                          {"GPUHOST_LEVEL_ZERO_LIBRARY", std::string(GPUHOST_FAKE_LEVEL_ZERO_DIR) + "/libfake_ze_a770.so"}});
    BOOST_TEST((values(a770, "intel", "device_ip") == std::vector<std::string>{"12.55.8"}));
    // The B580 recording has no Level Zero: the provider's detection fails, so it reports nothing.
    auto b580 = variants({"--sysroot", test::machine("intel-arc")});
    BOOST_TEST(values(b580, "intel", "device_ip").empty());
    BOOST_TEST(test::contains(json::serialize(b580.at("notes")), "Level Zero"));
    // What it would report once Level Zero runs: BMG-G21 (8086:e20b) is GMDID 20.1.0.
    BOOST_TEST(fleet::intel_device_ip("0xe20b") == "20.1.0");
    auto g11 = fleet::intel_features({fleet::intel_device_ip("0x56a5")});
    BOOST_REQUIRE_EQUAL(g11.size(), 1u);
    BOOST_TEST((g11[0].values == std::vector<std::string>{"12.56.5", "12.55.8"}), "DG2-G11 also runs DG2 base code");
}

BOOST_AUTO_TEST_CASE(all_writes_every_format_for_a_timer) {
    test::TempDir dir;
    auto r = test::run_export({"--all", dir.path().string(), "--sysroot", test::machine("nvidia-multi-gpu-server"), "--json"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto files = json::parse(r.output).at("files").as_array();
    BOOST_TEST(files.size() == 5u);
    for (const char *f : {"nfd/gpuhost", "slurm/gres.conf", "slurm/slurm.conf.fragment", "prometheus/gpuhost.prom",
                          "variants/variants.json"})
        BOOST_TEST(fs::file_size(dir / f) > 0u, f);
    BOOST_TEST(test::contains(test::read(dir / "slurm" / "slurm.conf.fragment"), "Gres=gpu:nvidia_h100_80gb_hbm3:8"));
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_and_leaves_files_alone) {
    test::TempDir dir;
    dir.write("out/gpuhost.prom", "old\n");
    fs::path out = dir / "out" / "gpuhost.prom";
    auto r = test::run_export({"promethus", "--output", out.string()});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(test::contains(r.error_output, "unknown format \"promethus\""), r.error_output);
    r = test::run_export({});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(test::contains(r.error_output, "FORMAT"), r.error_output);
    r = test::run_export({"nfd", "--all", dir.path().string()});
    BOOST_TEST(r.exit_code == 2);
    r = test::run_export({"nfd", "--ttl", "0"});
    BOOST_TEST(r.exit_code == 2);
    r = test::run_export({"slurm", "--node-name", "bad name"});
    BOOST_TEST(r.exit_code == 2);
    // A folder that cannot be made (a file is in its way): exit 1, naming it, before any detection.
    dir.write("blocker", "a file\n");
    r = test::run_export({"prometheus", "--output", (dir / "blocker" / "gpuhost.prom").string()});
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(test::contains(r.error_output, (dir / "blocker").string()), r.error_output);
    r = test::run_export({"--all", (dir / "blocker").string()});
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(test::contains(r.error_output, "cannot create this folder"), r.error_output);
    BOOST_TEST(test::read(out) == "old\n");
    BOOST_TEST(test::read(dir / "blocker") == "a file\n");
}
