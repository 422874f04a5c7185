// The intel plugin: recorded machines through the real CLI, PCI id classes, and
// Level Zero through the plugin's own dlopen path with stand-in loaders.
#include "intel_pci_ids.hpp"
#include "level_zero.hpp"
#include "support/expected_devices.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;

namespace {

const std::string kA770 = std::string(GPUHOST_FAKE_LEVEL_ZERO_DIR) + "/libfake_ze_a770.so";
const std::string kInitFails = std::string(GPUHOST_FAKE_LEVEL_ZERO_DIR) + "/libfake_ze_init_fails.so";

fs::path machine(const std::string &name) { return fs::path(GPUHOST_FIXTURES) / "machines" / name; }

std::vector<json::object> intel_devices(const json::object &inv) {
    std::vector<json::object> out;
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("vendor") == "intel") out.push_back(d.as_object());
    return out;
}

// Detection on this machine with a test Level Zero library: of the real plugins only intel and cpu.
json::object live_detect(std::map<std::string, std::string> env) {
    env.insert(test::only_real_plugins({"cpu", "intel"}));
    auto r = test::run_gpuhost({"detect", "--json"}, std::move(env));
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output);
    return json::parse(r.output).as_object();
}

std::string plugin_notes(const json::object &inv, const std::string &plugin) {
    std::string notes;
    for (const auto &p : inv.at("plugins").as_array())
        if (p.at("plugin") == plugin.c_str() && p.as_object().contains("notes"))
            for (const auto &n : p.at("notes").as_array()) notes += std::string(n.as_string()) + "\n";
    return notes;
}

}  // namespace

BOOST_AUTO_TEST_CASE(arc_battlemage_recording) { test::check_fixture("intel-arc", {"intel"}); }
BOOST_AUTO_TEST_CASE(laptop_iris_xe_part) { test::check_fixture("laptop-intel-igpu-nvidia-dgpu", {"intel"}); }

BOOST_AUTO_TEST_CASE(recorded_devices_carry_driver_render_node_and_class) {
    auto arc = intel_devices(test::detect_sysroot(machine("intel-arc")));
    BOOST_REQUIRE(arc.size() == 1u);
    BOOST_TEST(arc[0].at("details").at("kernel_driver") == "xe");
    BOOST_TEST(arc[0].at("details").at("render_node") == "/dev/dri/renderD128");
    BOOST_TEST(arc[0].at("details").at("best_accelerator") == "xpu");
    // No Level Zero loader in the recording: that is the reason, with the packages to install.
    BOOST_TEST(std::string(arc[0].at("reason").as_string()).find("libze_loader.so.1") != std::string::npos);

    auto laptop = intel_devices(test::detect_sysroot(machine("laptop-intel-igpu-nvidia-dgpu")));
    BOOST_REQUIRE(laptop.size() == 1u);
    BOOST_TEST(laptop[0].at("details").at("best_accelerator") == "cpu");
    BOOST_TEST(!laptop[0].at("usable").as_bool());
    BOOST_TEST(std::string(laptop[0].at("reason").as_string()).find("not supported by PyTorch XPU") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pci_id_classes) {
    auto a770 = intel::classify_intel_device(0x56a0);
    BOOST_TEST(a770.discrete);
    BOOST_TEST(a770.xpu_capable);
    BOOST_TEST(a770.architecture == "xe-hpg");
    BOOST_TEST(intel::classify_intel_device(0xe20b).architecture == "xe2-hpg");
    BOOST_TEST(intel::classify_intel_device(0x0bd5).architecture == "xe-hpc");
    auto mtl = intel::classify_intel_device(0x7d55);
    BOOST_TEST(!mtl.discrete);
    BOOST_TEST(mtl.xpu_capable);
    auto tgl = intel::classify_intel_device(0x9a49);
    BOOST_TEST(!tgl.discrete);
    BOOST_TEST(!tgl.xpu_capable);
    BOOST_TEST(!intel::classify_intel_device(0x3e92).xpu_capable);  // Coffee Lake UHD 630
}

BOOST_AUTO_TEST_CASE(level_zero_probe_reads_the_recorded_a770) {
    auto probe = intel::probe_level_zero(kA770);
    BOOST_TEST(probe.loaded);
    BOOST_TEST(probe.error.empty(), probe.error);
    BOOST_REQUIRE(probe.devices.size() == 1u);
    const auto &d = probe.devices[0];
    BOOST_TEST(d.name == "Intel(R) Arc(TM) A770 Graphics");
    BOOST_TEST(d.device_id == 0x56a0u);
    BOOST_TEST(!d.integrated);
    BOOST_TEST(d.uuid == "00000000000000030000000856a08086");
    BOOST_TEST(*d.memory_bytes == 16ull << 30);
    BOOST_TEST(d.driver_version == "1.3.26918");
    BOOST_TEST(d.api_version == "1.3");
}

BOOST_AUTO_TEST_CASE(level_zero_failures_are_clear) {
    auto fails = intel::probe_level_zero(kInitFails);
    BOOST_TEST(fails.loaded);
    BOOST_TEST(fails.devices.empty());
    BOOST_TEST(fails.error == "zeInit failed with ZE_RESULT_ERROR_UNINITIALIZED (0x78000001)");
    auto missing = intel::probe_level_zero("/nonexistent/libze_loader.so.1");
    BOOST_TEST(!missing.loaded);
    BOOST_TEST(missing.error.find("cannot load /nonexistent/libze_loader.so.1") == 0u, missing.error);
    // A library that is not a Level Zero loader (the C test plugin): named as such.
    auto wrong = intel::probe_level_zero(std::string(GPUHOST_TEST_PLUGIN_DIR) + "/libtest_plain_c.so");
    BOOST_TEST(wrong.error.find("does not export zeInit") != std::string::npos, wrong.error);
}

BOOST_AUTO_TEST_CASE(cli_reports_the_a770_through_the_fake_loader) {
    auto inv = live_detect({{"GPUHOST_LEVEL_ZERO_LIBRARY", kA770}});
    json::object a770;
    for (const auto &d : intel_devices(inv))
        if (d.at("name") == "Intel(R) Arc(TM) A770 Graphics") a770 = d;
    BOOST_REQUIRE(!a770.empty());
    BOOST_TEST(a770.at("type") == "discrete");
    BOOST_TEST(a770.at("backend") == "xpu");
    BOOST_TEST(a770.at("usable").as_bool());
    BOOST_TEST(a770.at("driver_version") == "1.3.26918");
    BOOST_TEST(a770.at("runtime").at("name") == "level_zero");
    BOOST_TEST(a770.at("memory").at("total_bytes").to_number<std::uint64_t>() == 16ull << 30);
    BOOST_TEST(a770.at("architecture") == "xe-hpg");
}

BOOST_AUTO_TEST_CASE(cli_turns_a_failing_zeinit_into_the_reason) {
    // Recorded B580 + a loader whose zeInit fails: the card stays listed, unusable, with the error.
    auto inv = test::detect_sysroot(machine("intel-arc"), {{"GPUHOST_LEVEL_ZERO_LIBRARY", kInitFails}});
    auto devices = intel_devices(inv);
    BOOST_REQUIRE(devices.size() == 1u);
    BOOST_TEST(!devices[0].at("usable").as_bool());
    BOOST_TEST(std::string(devices[0].at("reason").as_string()).find("zeInit failed with ZE_RESULT_ERROR_UNINITIALIZED") !=
               std::string::npos);
    // Live with no Intel GPU: nothing listed, and the notes say why.
    auto live = live_detect({{"GPUHOST_LEVEL_ZERO_LIBRARY", kInitFails}});
    BOOST_TEST(plugin_notes(live, "intel").find("zeInit failed") != std::string::npos, plugin_notes(live, "intel"));
}

BOOST_AUTO_TEST_CASE(a_recording_matched_with_level_zero_is_usable) {
    // A770 recorded in sysfs (bus 0000:03:00.0, the address in intel/compute-runtime#964) plus the fake loader.
    test::TempDir root;
    for (auto [file, value] : std::vector<std::pair<std::string, std::string>>{
             {"vendor", "0x8086"}, {"device", "0x56a0"}, {"class", "0x030000"},
             {"uevent", "DRIVER=i915\nPCI_SLOT_NAME=0000:03:00.0\n"}})
        root.write("sys/bus/pci/devices/0000:03:00.0/" + file, value + "\n");
    root.write("sys/bus/pci/devices/0000:03:00.0/drm/renderD128/.keep", "");
    root.write("dev/dri/renderD128", "");
    auto devices = intel_devices(test::detect_sysroot(root.path(), {{"GPUHOST_LEVEL_ZERO_LIBRARY", kA770}}));
    BOOST_REQUIRE(devices.size() == 1u);
    BOOST_TEST(devices[0].at("usable").as_bool());
    BOOST_TEST(devices[0].at("pci").at("bus_id") == "0000:03:00.0");
    BOOST_TEST(devices[0].at("name") == "Intel(R) Arc(TM) A770 Graphics");
    BOOST_TEST(devices[0].at("signals").as_array().size() == 2u);  // level-zero + sysfs

    root.write(".gpuhost/denied", "/dev/dri/renderD128\n");
    auto denied = intel_devices(test::detect_sysroot(root.path(), {{"GPUHOST_LEVEL_ZERO_LIBRARY", kA770}}));
    BOOST_TEST(!denied.at(0).at("usable").as_bool());
    BOOST_TEST(std::string(denied.at(0).at("reason").as_string()).find("render group") != std::string::npos);
}
