// The Vulkan and OpenCL probes: live they find the devices vulkaninfo and
// clinfo list here, with the same names, types and versions (llvmpipe and PoCL
// on this CI; skipped, saying so, where they are absent); under a sysroot they
// read the recordings and never the live drivers; their parsers survive
// truncated and corrupted text.
#include "core/tool_runner.hpp"
#include "kernel_fixture.hpp"
#include "opencl_probe.hpp"
#include "support/live_machine.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"
#include "vulkan_probe.hpp"

#include <boost/json.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
namespace json = boost::json;
namespace bdata = boost::unit_test::data;
using namespace gpuhost;

namespace {

const fs::path kRecording = fs::path(GPUHOST_FIXTURES) / "probes" / "llvmpipe-pocl";

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

json::object detect_json(const std::vector<std::string> &extra = {}) {
    std::vector<std::string> args = {"detect", "--json", "--all"};  // the probes, whatever the vendor plugins found
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = test::run_gpuhost(args);
    BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + ": " + result.error_output);
    return json::parse(result.output).as_object();
}

// This machine's inventory, as gpuhost detects it live.
json::object live_inventory() {
    auto result = test::run_gpuhost_live({"detect", "--json", "--all"});  // the probes run whatever vendors found
    BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + ": " + result.error_output);
    return json::parse(result.output).as_object();
}

std::vector<json::object> devices_of(const json::object &inv, const std::string &plugin) {
    std::vector<json::object> out;
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("plugin") == plugin.c_str()) out.push_back(d.as_object());
    return out;
}

// What a probe saw of each device: the probe's own record, or its view kept in
// the vendor's record it was merged into.
std::vector<json::object> views_of(const json::object &inv, const std::string &probe) {
    std::vector<json::object> out;
    for (const auto &d : inv.at("devices").as_array()) {
        const auto &o = d.as_object();
        if (o.at("plugin") == probe.c_str()) out.push_back(o);
        else if (auto views = o.if_contains("views"); views && views->as_object().contains(probe))
            out.push_back(views->at(probe).as_object());
    }
    return out;
}

const json::object &outcome_of(const json::object &inv, const std::string &plugin) {
    for (const auto &p : inv.at("plugins").as_array())
        if (p.at("plugin") == plugin.c_str()) return p.as_object();
    BOOST_FAIL("plugin " + plugin + " did not run");
    throw std::logic_error("unreachable");
}

std::string s(const json::value &v) { return std::string(v.as_string()); }

}  // namespace

// Live: every Vulkan device vulkaninfo lists here is a device of gpuhost's,
// listed by the vulkan plugin or merged into a vendor's record (a GPU's view),
// with the same facts; none when vulkaninfo finds no driver or is pointed away
// from them (VK_ICD_FILENAMES).
BOOST_AUTO_TEST_CASE(live_vulkan_devices_are_the_ones_vulkaninfo_lists, *test::needs_tool("vulkaninfo")) {
    auto tool = test::run_machine_tool("vulkaninfo", {"--summary"});
    std::vector<sdk::DeviceRecord> expected;
    if (tool.exit_code == 0) expected = vulkan::parse_vulkaninfo_summary(tool.output).devices;
    else BOOST_TEST_MESSAGE("vulkaninfo found no Vulkan driver here: " << tool.describe());
    auto views = views_of(live_inventory(), "vulkan");
    BOOST_REQUIRE_EQUAL(views.size(), expected.size());
    for (const auto &want : expected) {
        auto index = want.details.at("device_index").as_int64();
        const json::object *found = nullptr;
        for (const auto &v : views)
            if (v.at("details").at("device_index") == index) found = &v;
        BOOST_TEST_CONTEXT("vulkaninfo GPU" << index << " " << want.name) {
            BOOST_REQUIRE(found);
            BOOST_TEST(s(found->at("name")) == want.name);
            BOOST_TEST(s(found->at("type")) == want.type);
            BOOST_TEST(s(found->at("details").at("device_uuid")) == want.uuid);
            BOOST_TEST(s(found->at("driver_version")) == want.driver_version);
            BOOST_TEST(s(found->at("backend")) == "vulkan");
            if (found->contains("runtime"))  // a whole record; a merged view keeps no runtime
                BOOST_TEST(s(found->at("runtime").at("version")) == want.runtime_version);
            BOOST_TEST(found->at("memory").at("total_bytes").to_number<double>() > 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(live_llvmpipe_is_a_cpu_device_of_the_vulkan_plugin, *test::needs(test::kLlvmpipe)) {
    bool llvmpipe = false;
    for (const auto &d : devices_of(live_inventory(), "vulkan"))
        if (s(d.at("name")).rfind("llvmpipe", 0) == 0) {
            llvmpipe = true;
            BOOST_TEST(s(d.at("type")) == "cpu");
            BOOST_TEST(s(d.at("details").at("driver_name")) == "llvmpipe");
        }
    BOOST_TEST(llvmpipe, "vulkaninfo lists a Vulkan CPU device, but gpuhost has no llvmpipe");
}

// Live: every OpenCL device clinfo lists here is a device of gpuhost's, listed
// by the opencl plugin or merged into a vendor's record, with the same facts.
BOOST_AUTO_TEST_CASE(live_opencl_devices_are_the_ones_clinfo_lists, *test::needs_tool("clinfo")) {
    auto tool = test::run_machine_tool("clinfo", {});
    BOOST_REQUIRE_MESSAGE(tool.exit_code == 0, "clinfo: " + tool.describe() + ": " + tool.error_output);
    auto expected = opencl::parse_clinfo(tool.output).devices;
    auto views = views_of(live_inventory(), "opencl");
    BOOST_REQUIRE_EQUAL(views.size(), expected.size());
    for (const auto &want : expected) {
        auto platform = want.details.at("platform_index").as_int64(), index = want.details.at("device_index").as_int64();
        const json::object *found = nullptr;
        for (const auto &v : views)
            if (v.at("details").at("platform_index") == platform && v.at("details").at("device_index") == index) found = &v;
        BOOST_TEST_CONTEXT("clinfo platform " << platform << " device " << index << " " << want.name) {
            BOOST_REQUIRE(found);
            BOOST_TEST(s(found->at("name")) == want.name);
            BOOST_TEST(s(found->at("type")) == want.type);
            BOOST_TEST(s(found->at("driver_version")) == want.driver_version);
            BOOST_TEST(s(found->at("details").at("platform")) == s(want.details.at("platform")));
            if (found->contains("runtime")) {  // a whole record; a merged view keeps neither
                BOOST_TEST(s(found->at("vendor")) == want.vendor);
                BOOST_TEST(s(found->at("runtime").at("version")) == want.runtime_version);
            }
            BOOST_TEST(found->at("memory").at("total_bytes").to_number<double>() > 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(live_pocl_is_a_cpu_device_of_the_opencl_plugin, *test::needs(test::kPocl)) {
    bool pocl = false;
    for (const auto &d : devices_of(live_inventory(), "opencl"))
        if (s(d.at("details").at("platform")) == "Portable Computing Language") {
            pocl = true;
            BOOST_TEST(s(d.at("type")) == "cpu");
        }
    BOOST_TEST(pocl, "clinfo lists an OpenCL CPU device, but gpuhost has no PoCL device");
}

BOOST_AUTO_TEST_CASE(replayed_machine_reads_the_recordings) {
    auto inv = detect_json({"--sysroot", kRecording.string()});
    auto vk = devices_of(inv, "vulkan");
    BOOST_REQUIRE_EQUAL(vk.size(), 1u);
    BOOST_TEST(s(vk[0].at("name")) == "llvmpipe (LLVM 15.0.6, 256 bits)");
    BOOST_TEST(s(vk[0].at("type")) == "cpu");
    BOOST_TEST(s(vk[0].at("uuid")) == "6d657361-3232-2e33-2e36-000000000000");
    BOOST_TEST(s(vk[0].at("runtime").at("version")) == "1.3.230");
    BOOST_TEST(s(vk[0].at("details").at("driver_info")) == "Mesa 22.3.6 (LLVM 15.0.6)");
    BOOST_TEST(s(vk[0].at("details").at("source")) == "vulkaninfo");
    auto cl = devices_of(inv, "opencl");
    BOOST_REQUIRE_EQUAL(cl.size(), 1u);
    BOOST_TEST(s(cl[0].at("name")) == "pthread-skylake-avx512-AMD EPYC");
    BOOST_TEST(s(cl[0].at("vendor")) == "amd");  // "AuthenticAMD", though PoCL gives vendor id 0x8086
    BOOST_TEST(s(cl[0].at("type")) == "cpu");
    BOOST_TEST(s(cl[0].at("driver_version")) == "3.1+debian");
    BOOST_TEST(s(cl[0].at("runtime").at("version")) == "3.0");
    BOOST_TEST(cl[0].at("memory").at("total_bytes").to_number<double>() > 1e9);
    BOOST_TEST(s(cl[0].at("details").at("source")) == "clinfo");
}

BOOST_AUTO_TEST_CASE(under_a_sysroot_without_recordings_the_live_drivers_stay_untouched) {
    test::TempDir root;
    fs::create_directories(root / "tools");
    auto inv = detect_json({"--sysroot", root.path().string()});
    BOOST_TEST(devices_of(inv, "vulkan").empty());  // llvmpipe is live here, so it was not asked
    BOOST_TEST(devices_of(inv, "opencl").empty());
    BOOST_TEST(s(outcome_of(inv, "vulkan").at("status")) == "absent");
    BOOST_TEST(s(outcome_of(inv, "vulkan").at("notes").at(0)) == "no recorded vulkaninfo --summary");
    BOOST_TEST(s(outcome_of(inv, "opencl").at("notes").at(0)) == "no recorded clinfo output");
}

BOOST_AUTO_TEST_CASE(corrupted_recordings_are_reported_not_fatal) {
    test::TempDir root;
    root.write("tools/clinfo.txt", std::string("\x7f" "ELF\x02\x01 garbage \xff\xfe", 18));
    root.write("tools/vulkaninfo_--summary.txt", "ERROR: [Loader Message] Code 0 : vkCreateInstance failed\n");
    auto inv = detect_json({"--sysroot", root.path().string()});
    BOOST_TEST(s(outcome_of(inv, "opencl").at("status")) == "absent");
    BOOST_TEST(s(outcome_of(inv, "opencl").at("notes").at(0)).find("recorded clinfo unreadable: not clinfo output") == 0);
    BOOST_TEST(s(outcome_of(inv, "vulkan").at("notes").at(0)).find("recorded vulkaninfo unreadable") == 0);
}

BOOST_AUTO_TEST_CASE(parsers_survive_every_truncation) {
    for (const auto &[file, is_vulkan] : {std::pair{"vulkaninfo_--summary.txt", true}, std::pair{"clinfo.txt", false}}) {
        std::string full = slurp(kRecording / "tools" / file);
        BOOST_REQUIRE(!full.empty());
        size_t full_count = 0, throws = 0;
        for (size_t cut = 0; cut <= full.size(); cut += 3) {
            std::string part = full.substr(0, cut);
            try {
                auto devices = is_vulkan ? vulkan::parse_vulkaninfo_summary(part).devices
                                         : opencl::parse_clinfo(part).devices;
                BOOST_TEST(devices.size() <= 1u);
                for (const auto &d : devices) {
                    BOOST_TEST(!d.name.empty());
                    BOOST_TEST((d.type == "cpu" || d.type == "other"), d.type);
                    BOOST_TEST(!d.vendor.empty());
                }
                full_count = devices.size();
            } catch (const std::runtime_error &e) {
                ++throws;  // only while the section marker is not there yet
                BOOST_TEST(std::string(e.what()).find("not ") == 0, e.what());
            }
        }
        BOOST_TEST(throws > 0u);
        BOOST_TEST(full_count == 1u, file);
    }
}

BOOST_AUTO_TEST_CASE(a_block_cut_before_its_name_is_dropped_with_a_note) {
    auto out = vulkan::parse_vulkaninfo_summary("Devices:\n========\nGPU0:\n\tapiVersion = 1.3.230\n"
                                                "\tvendorID = 0xZZ\n");
    BOOST_TEST(out.devices.empty());
    BOOST_REQUIRE_EQUAL(out.notes.size(), 1u);
    BOOST_TEST(out.notes[0] == "vulkaninfo block GPU0 has no deviceName; skipped");
    auto two = vulkan::parse_vulkaninfo_summary(
        "Devices:\nGPU0:\n\tvendorID = 0x10de\n\tdeviceID = 0x2684\n\tdeviceType = PHYSICAL_DEVICE_TYPE_DISCRETE_GPU\n"
        "\tdeviceName = first\nGPU1:\n\tvendorID = 0x8086\n\tdeviceType = PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU\n"
        "\tdeviceName = second\n");
    BOOST_REQUIRE_EQUAL(two.devices.size(), 2u);
    BOOST_TEST(two.devices[0].vendor == "nvidia");
    BOOST_TEST(two.devices[0].pci_device_id == "0x2684");
    BOOST_TEST(two.devices[0].type == "discrete");
    BOOST_TEST(two.devices[1].vendor == "intel");
    BOOST_TEST(two.devices[1].type == "integrated");
}

BOOST_AUTO_TEST_CASE(driver_versions_decode_per_vendor) {
    // NVIDIA packs 10.8.8.6 bits; everyone else VK_MAKE_API_VERSION's 10.10.12.
    std::uint32_t nvidia = (535u << 22) | (54u << 14) | (3u << 6);
    BOOST_TEST(vulkan::decode_driver_version(0x10de, nvidia) == "535.54.3.0");
    std::uint32_t mesa = (22u << 22) | (3u << 12) | 6u;
    BOOST_TEST(vulkan::decode_driver_version(0x1002, mesa) == "22.3.6");
    BOOST_TEST(vulkan::decode_driver_version(0x10005, 1) == "0.0.1");  // llvmpipe, as vulkaninfo prints it
    BOOST_TEST(vulkan::api_version_text((1u << 22) | (3u << 12) | 230u) == "1.3.230");
}

BOOST_AUTO_TEST_CASE(clinfo_with_two_platforms_numbers_them_in_order) {
    std::string text =
        "Number of platforms                               2\n"
        "  Platform Name                                   Alpha\n"
        "  Platform Name                                   Beta\n"
        "\n"
        "  Platform Name                                   Alpha\n"
        "Number of devices                                 1\n"
        "  Device Name                                     a-gpu\n"
        "  Device Vendor                                   NVIDIA Corporation\n"
        "  Device Type                                     GPU\n"
        "  Device Topology (NV)                            PCI-E, 0000:01:00.0\n"
        "\n"
        "  Platform Name                                   Beta\n"
        "Number of devices                                 2\n"
        "  Device Name                                     b-cpu\n"
        "  Device Type                                     CPU\n"
        "  Device Name                                     b-igpu\n"
        "  Device Vendor ID                                0x8086\n"
        "  Device Type                                     GPU\n"
        "  Unified memory for Host and Device              Yes\n"
        "NULL platform behavior\n"
        "  Device Name                                     not-a-device\n";
    auto out = opencl::parse_clinfo(text);
    BOOST_REQUIRE_EQUAL(out.devices.size(), 3u);
    BOOST_TEST(out.devices[0].details.at("platform_index") == 0);
    BOOST_TEST(out.devices[0].type == "discrete");
    BOOST_TEST(out.devices[0].vendor == "nvidia");
    BOOST_TEST(out.devices[0].pci_bus_id == "0000:01:00.0");
    BOOST_TEST(out.devices[1].details.at("platform_index") == 1);
    BOOST_TEST(out.devices[1].details.at("device_index") == 0);
    BOOST_TEST(out.devices[1].vendor == "other");
    BOOST_TEST(out.devices[2].details.at("device_index") == 1);
    BOOST_TEST(out.devices[2].type == "integrated");
    BOOST_TEST(out.devices[2].vendor == "intel");
}

const std::vector<std::string> kProbes = {"vulkan", "opencl"};

BOOST_TEST_DECORATOR(*test::needs_device_of_each(kProbes))
BOOST_DATA_TEST_CASE(devices_only_a_probe_knows_rank_below_the_cpu_plugin, bdata::make(kProbes), plugin) {
    auto &live = test::LivePlugins::get();
    std::string workload = R"({"precision":"fp32"})";
    auto score_of = [&](const std::string &name) {
        auto reply = live.plugins.find(name)->score(live.tools, json::serialize(live.device_of(name)), workload);
        BOOST_REQUIRE_MESSAGE(reply.ok(), reply.text);
        return json::parse(reply.text).as_object();
    };
    auto cpu = score_of("cpu"), probe = score_of(plugin);
    BOOST_TEST(probe.at("score") == 1);  // llvmpipe and PoCL are CPUs
    BOOST_TEST(cpu.at("score").as_int64() > 1);
    if (plugin == "vulkan")
        BOOST_TEST(json::serialize(probe.at("reasons")).find("a CPU seen through Vulkan") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_the_vulkan_and_opencl_loaders_both_report_absent) {
    // Neither plugin links its loader, so each still loads and says what is missing.
    for (const char *plugin : {"libgpuhost-vulkan.so", "libgpuhost-opencl.so"}) {
        auto r = run_process("readelf", {"-d", std::string(GPUHOST_PLUGIN_DIR) + "/" + plugin}, {});
        BOOST_REQUIRE_MESSAGE(r.ok(), "readelf (binutils) is needed: " + r.describe());
        BOOST_TEST(r.output.find("libvulkan") == std::string::npos, plugin);
        BOOST_TEST(r.output.find("libOpenCL") == std::string::npos, plugin);
    }
    auto r = test::run_gpuhost({"detect", "--json", "--all"}, {{"GPUHOST_VULKAN_LOADER", "/nonexistent/libvulkan.so.1"},
                                                               {"GPUHOST_OPENCL_LOADER", "/nonexistent/libOpenCL.so.1"},
                                                               test::only_real_plugins({"cpu", "vulkan", "opencl"})});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output);
    auto inv = json::parse(r.output).as_object();
    BOOST_TEST(devices_of(inv, "vulkan").empty());
    BOOST_TEST(devices_of(inv, "opencl").empty());
    BOOST_TEST(s(outcome_of(inv, "vulkan").at("status")) == "absent");
    BOOST_TEST(s(outcome_of(inv, "vulkan").at("notes").at(0)) ==
               "no Vulkan loader (/nonexistent/libvulkan.so.1 could not be opened)");
    BOOST_TEST(s(outcome_of(inv, "opencl").at("status")) == "absent");
    BOOST_TEST(s(outcome_of(inv, "opencl").at("notes").at(0)) ==
               "no OpenCL ICD loader (/nonexistent/libOpenCL.so.1 could not be opened)");
    BOOST_TEST(devices_of(inv, "cpu").size() == 1u);  // the rest keeps working
}

BOOST_AUTO_TEST_CASE(recordings_with_only_clinfo_l_or_the_full_vulkaninfo_are_read) {
    // Real outputs from tests/fixtures/outputs/ (cited in its SOURCES.tsv),
    // recorded under the names the runner replays.
    const fs::path outputs = fs::path(GPUHOST_FIXTURES) / "outputs";
    test::TempDir root;
    root.write("tools/clinfo_-l.txt", slurp(outputs / "clinfo-l/rusticl-rx570.txt"));
    root.write("tools/vulkaninfo.txt", slurp(outputs / "vulkaninfo/full-1.3-nvidia-rtx3070-laptop.txt"));
    auto inv = detect_json({"--sysroot", root.path().string()});
    auto cl = devices_of(inv, "opencl");
    BOOST_REQUIRE_EQUAL(cl.size(), 1u);
    BOOST_TEST(s(cl[0].at("name")).find("AMD Radeon RX 570 Series") == 0u);
    BOOST_TEST(s(cl[0].at("vendor")) == "amd");
    BOOST_TEST(s(cl[0].at("details").at("source")) == "clinfo -l");
    auto vk = devices_of(inv, "vulkan");
    BOOST_REQUIRE_EQUAL(vk.size(), 1u);
    BOOST_TEST(s(vk[0].at("name")) == "NVIDIA GeForce RTX 3070 Laptop GPU");
    BOOST_TEST(s(vk[0].at("type")) == "discrete");
    BOOST_TEST(s(vk[0].at("runtime").at("version")) == "1.3.236");
    BOOST_TEST(s(vk[0].at("driver_version")) == "530.41.3.0");  // 0x848a40c0 in NVIDIA's 10.8.8.6 packing
}

BOOST_AUTO_TEST_CASE(amd_app_sdk_clinfo_layout_gives_devices) {
    const fs::path outputs = fs::path(GPUHOST_FIXTURES) / "outputs";
    auto out = opencl::parse_clinfo(slurp(outputs / "clinfo/amdapp-hd7660d-tabs.txt"));
    BOOST_REQUIRE_EQUAL(out.devices.size(), 1u);
    const auto &d = out.devices[0];
    BOOST_TEST(d.name == "AMD Radeon HD 7660D");
    BOOST_TEST(d.type == "discrete");
    BOOST_TEST(d.vendor == "amd");
    BOOST_TEST(d.pci_vendor_id == "0x1002");
    BOOST_TEST(d.pci_bus_id == "0000:00:01.0");
    BOOST_TEST(d.details.at("platform").as_string() == "AMD Accelerated Parallel Processing");
}
