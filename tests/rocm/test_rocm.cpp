// The rocm plugin against recorded AMD machines (through the real CLI), its
// parsers against malformed and truncated text, and the APU/permission rules
// on small hand-built sysroots.
#include "gfx_targets.hpp"
#include "kfd_topology.hpp"
#include "rocminfo_parser.hpp"
#include "smi_parser.hpp"
#include "support/expected_devices.hpp"
#include "support/temp_dir.hpp"

#include <fstream>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;

namespace {

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path machine(const std::string &name) { return fs::path(GPUHOST_FIXTURES) / "machines" / name; }

const json::object &only_device(const json::object &inv, const std::string &vendor) {
    const json::object *found = nullptr;
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("vendor") == vendor.c_str()) {
            BOOST_REQUIRE_MESSAGE(!found, "more than one " + vendor + " device");
            found = &d.as_object();
        }
    BOOST_REQUIRE_MESSAGE(found, "no " + vendor + " device");
    return *found;
}

// A one-GPU sysroot: KFD node 1 at PCI 0000:05:00.0, render minor 128.
void write_gpu(const test::TempDir &root, const std::string &gfx_version, std::uint64_t vram, std::uint64_t gtt) {
    root.write("sys/class/kfd/kfd/topology/nodes/0/properties", "cpu_cores_count 8\nsimd_count 0\n");
    root.write("sys/class/kfd/kfd/topology/nodes/1/properties",
               "simd_count 24\nsimd_per_cu 2\ngfx_target_version " + gfx_version +
                   "\nvendor_id 4098\ndevice_id 5567\nlocation_id 1280\ndomain 0\ndrm_render_minor 128\n");
    root.write("sys/bus/pci/devices/0000:05:00.0/vendor", "0x1002\n");
    root.write("sys/bus/pci/devices/0000:05:00.0/device", "0x15bf\n");
    root.write("sys/bus/pci/devices/0000:05:00.0/class", "0x030000\n");
    root.write("sys/bus/pci/devices/0000:05:00.0/mem_info_vram_total", std::to_string(vram) + "\n");
    root.write("sys/bus/pci/devices/0000:05:00.0/mem_info_gtt_total", std::to_string(gtt) + "\n");
    root.write("dev/kfd", "");
    root.write("dev/dri/renderD128", "");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(recorded_machines)

BOOST_AUTO_TEST_CASE(rdna3_discrete) { test::check_fixture("amd-rdna3-discrete", {"amd"}); }
BOOST_AUTO_TEST_CASE(apu_phoenix) { test::check_fixture("amd-apu", {"amd"}); }
BOOST_AUTO_TEST_CASE(polaris_gfx803_is_flagged) { test::check_fixture("amd-polaris-gfx803", {"amd"}); }
BOOST_AUTO_TEST_CASE(gfx1031_needs_override) { test::check_fixture("amd-gfx1031-override", {"amd"}); }
BOOST_AUTO_TEST_CASE(kfd_sysfs_only_no_tools) { test::check_fixture("amd-rdna3-kfd-sysfs-only", {"amd"}); }
BOOST_AUTO_TEST_CASE(container_without_kfd_access) { test::check_fixture("container-no-kfd-access", {"amd"}); }

BOOST_AUTO_TEST_CASE(container_reason_names_the_fix_and_the_missing_group) {
    auto inv = test::detect_sysroot(machine("container-no-kfd-access"));
    for (const auto &d : inv.at("devices").as_array()) {
        if (d.at("vendor") != "amd") continue;
        std::string reason(d.at("reason").as_string());
        BOOST_TEST(reason.find("sudo usermod -aG render,video $USER") != std::string::npos);
        BOOST_TEST(reason.find("--device=/dev/kfd") != std::string::npos);
        BOOST_TEST(reason.find("missing: render") != std::string::npos, reason);  // groups.txt has video, not render
    }
}

BOOST_AUTO_TEST_CASE(hsa_override_from_the_environment_makes_gfx1031_usable) {
    auto inv = test::detect_sysroot(machine("amd-gfx1031-override"), {{"HSA_OVERRIDE_GFX_VERSION", "10.3.0"}});
    int seen = 0;
    for (const auto &v : inv.at("devices").as_array()) {
        const auto &d = v.as_object();
        if (d.at("vendor") != "amd") continue;
        ++seen;
        BOOST_TEST(d.at("architecture_effective") == "gfx1030");
        BOOST_TEST(d.at("usable").as_bool());
        BOOST_TEST(std::string(d.at("details").at("override_applied").as_string()).find("gfx1030") != std::string::npos);
    }
    BOOST_TEST(seen == 2);
    auto dgpu = test::detect_sysroot(machine("amd-gfx1031-override"), {{"HSA_OVERRIDE_GFX_VERSION", "10.3.0"}});
    bool real_kept = false;
    for (const auto &d : dgpu.at("devices").as_array())
        real_kept = real_kept || (d.as_object().contains("architecture") && d.at("architecture") == "gfx1031");
    BOOST_TEST(real_kept);
}

BOOST_AUTO_TEST_CASE(override_to_an_unshipped_target_stays_unusable_and_garbage_is_ignored) {
    auto inv = test::detect_sysroot(machine("amd-rdna3-discrete"), {{"HSA_OVERRIDE_GFX_VERSION", "10.3.1"}});
    const auto &d = only_device(inv, "amd");
    BOOST_TEST(d.at("architecture_effective") == "gfx1031");
    BOOST_TEST(!d.at("usable").as_bool());
    BOOST_TEST(std::string(d.at("reason").as_string()).find("HSA_OVERRIDE_GFX_VERSION=10.3.1") != std::string::npos);

    auto bad = test::detect_sysroot(machine("amd-rdna3-discrete"), {{"HSA_OVERRIDE_GFX_VERSION", "banana"}});
    const auto &b = only_device(bad, "amd");
    BOOST_TEST(b.at("architecture_effective") == "gfx1100");
    BOOST_TEST(b.at("usable").as_bool());
    std::string notes;
    for (const auto &p : bad.at("plugins").as_array())
        if (p.at("plugin") == "rocm" && p.as_object().contains("notes"))
            for (const auto &n : p.at("notes").as_array()) notes += std::string(n.as_string()) + "\n";
    BOOST_TEST(notes.find("banana") != std::string::npos, notes);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parsers)

BOOST_AUTO_TEST_CASE(gfx_target_version_decoding) {
    BOOST_TEST(rocm::decode_gfx_target(110000) == "gfx1100");
    BOOST_TEST(rocm::decode_gfx_target(90010) == "gfx90a");
    BOOST_TEST(rocm::decode_gfx_target(100301) == "gfx1031");
    BOOST_TEST(rocm::decode_gfx_target(90012) == "gfx90c");
    BOOST_TEST(rocm::decode_gfx_target(80003) == "gfx803");
    BOOST_TEST(rocm::decode_gfx_target(90402) == "gfx942");
    BOOST_TEST(rocm::decode_gfx_target(120001) == "gfx1201");
    BOOST_CHECK_THROW(rocm::decode_gfx_target(0), std::invalid_argument);
    BOOST_CHECK_THROW(rocm::decode_gfx_target(91600), std::invalid_argument);  // minor 16
    BOOST_CHECK_THROW(rocm::decode_gfx_target(90016), std::invalid_argument);  // stepping 16
    BOOST_TEST(rocm::gfx_from_override("10.3.0") == "gfx1030");
    BOOST_TEST(rocm::gfx_from_override("9.0.10") == "gfx90a");
    BOOST_CHECK_THROW(rocm::gfx_from_override("10.3"), std::invalid_argument);
    BOOST_CHECK_THROW(rocm::gfx_from_override("10.3.0x"), std::invalid_argument);
    BOOST_CHECK_THROW(rocm::gfx_from_override("10.30.0"), std::invalid_argument);
    BOOST_TEST(rocm::pci_bus_id(0, 49408) == "0000:c1:00.0");
    BOOST_TEST(rocm::pci_bus_id(1, 768 + 8 + 1) == "0001:03:01.1");
}

BOOST_AUTO_TEST_CASE(kfd_properties_malformed_and_truncated) {
    auto node = rocm::parse_kfd_properties(slurp(machine("amd-rdna3-discrete") /
                                                 "sys/class/kfd/kfd/topology/nodes/1/properties"), "p");
    BOOST_TEST(node.get("gfx_target_version") == 110000u);
    BOOST_TEST(node.is_gpu());
    try {
        rocm::parse_kfd_properties("simd_count 4\ngfx_target_version\n", "/x/properties");
        BOOST_FAIL("no throw");
    } catch (const std::runtime_error &e) {
        BOOST_TEST(std::string(e.what()).find("/x/properties:2") != std::string::npos, e.what());
    }
    BOOST_CHECK_THROW(rocm::parse_kfd_properties("simd_count 4\nlocation_id 12ab\n", "p"), std::runtime_error);
    BOOST_CHECK_THROW(rocm::parse_kfd_properties("", "p"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(rocminfo_agents_errors_and_truncation) {
    auto full = rocm::parse_rocminfo(slurp(machine("amd-gfx1031-override") / "tools/rocminfo.txt"));
    BOOST_TEST(full.error.empty(), full.error);
    BOOST_REQUIRE(full.agents.size() == 3u);
    BOOST_TEST(full.agents[1].name == "gfx1031");  // not the ISA's "amdgcn-amd-amdhsa--gfx1031"
    BOOST_TEST(full.agents[1].marketing_name == "AMD Radeon RX 6750 XT");
    BOOST_TEST(*full.agents[1].compute_units == 40u);
    BOOST_TEST(*full.agents[2].bdfid == 4096u);

    auto apu = rocm::parse_rocminfo(slurp(machine("amd-apu") / "tools/rocminfo.txt"));
    BOOST_TEST(apu.agents.at(1).apu);
    BOOST_TEST(!apu.agents.at(0).apu);

    auto denied = rocm::parse_rocminfo(slurp(machine("container-no-kfd-access") / "tools/rocminfo.txt"));
    BOOST_TEST(denied.agents.empty());
    BOOST_TEST(denied.error == "Unable to open /dev/kfd read-write: Permission denied");

    std::string text = slurp(machine("amd-rdna3-discrete") / "tools/rocminfo.txt");
    auto cut = rocm::parse_rocminfo(text.substr(0, text.find("Marketing Name", text.find("Agent 2")) + 6));
    BOOST_TEST(cut.agents.size() == 2u);  // the second agent is cut mid-line: kept, with what it had
    BOOST_TEST(cut.agents[1].marketing_name.empty());

    auto garbage = rocm::parse_rocminfo("\x01\x02 segfault\n");
    BOOST_TEST(garbage.error.find("no HSA agent list") != std::string::npos, garbage.error);
    BOOST_TEST(!rocm::parse_rocminfo("").error.empty());
}

BOOST_AUTO_TEST_CASE(every_truncation_parses_or_throws_a_runtime_error) {
    for (const char *m : {"amd-apu", "amd-polaris-gfx803", "container-no-kfd-access"}) {
        std::string text = slurp(machine(m) / "tools/rocminfo.txt");
        for (size_t n = 0; n < text.size(); n += 37) {
            auto info = rocm::parse_rocminfo(text.substr(0, n));  // never throws
            BOOST_TEST((!info.agents.empty() || !info.error.empty()), m << " cut at " << n);
        }
    }
    std::string props = slurp(machine("amd-apu") / "sys/class/kfd/kfd/topology/nodes/1/properties");
    for (size_t n = 0; n <= props.size(); ++n) {
        try {
            rocm::parse_kfd_properties(props.substr(0, n), "p");
        } catch (const std::runtime_error &e) {
            BOOST_TEST(std::string(e.what()).rfind("p", 0) == 0u);  // names the file
        }
    }
}

BOOST_AUTO_TEST_CASE(smi_and_groups) {
    BOOST_TEST(rocm::parse_rocm_smi(slurp(machine("container-no-kfd-access") / "tools/rocm-smi.txt")).size() == 4u);
    BOOST_TEST(rocm::parse_rocm_smi("ERROR: no GPU\n0 things\n").empty());  // no table header: nothing
    auto amd = rocm::parse_amd_smi_list("GPU: 0\n    BDF: 0000:C1:00.0\n    UUID: 1234\nGPU: 1\n    BDF: 0000:c2:00.0\n");
    BOOST_REQUIRE(amd.size() == 2u);
    BOOST_TEST(amd[0].bus_id == "0000:c1:00.0");
    BOOST_TEST(amd[0].uuid == "1234");
    BOOST_TEST((rocm::parse_groups("rocm-user sudo video\n") == std::vector<std::string>{"rocm-user", "sudo", "video"}));
    BOOST_TEST((rocm::parse_groups("alice : alice render\n") == std::vector<std::string>{"alice", "render"}));
    BOOST_TEST(rocm::parse_groups("").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rules)

BOOST_AUTO_TEST_CASE(small_vram_and_large_gtt_is_an_apu_with_shared_memory) {
    test::TempDir root;
    write_gpu(root, "110003", 512ull << 20, 15ull << 30);
    auto inv = test::detect_sysroot(root.path());
    const auto &d = only_device(inv, "amd");
    BOOST_TEST(d.at("type") == "integrated");
    BOOST_TEST(d.at("memory").at("shared_bytes").to_number<std::uint64_t>() == 15ull << 30);
    BOOST_TEST(d.at("details").at("vram_carveout_bytes").to_number<std::uint64_t>() == 512ull << 20);
    BOOST_TEST(d.at("pci").at("bus_id") == "0000:05:00.0");
}

BOOST_AUTO_TEST_CASE(large_vram_is_discrete_and_a_denied_render_node_is_the_reason) {
    test::TempDir root;
    write_gpu(root, "110000", 16ull << 30, 32ull << 30);
    root.write(".gpuhost/denied", "/dev/dri/renderD128\n");
    auto inv = test::detect_sysroot(root.path());
    const auto &d = only_device(inv, "amd");
    BOOST_TEST(d.at("type") == "discrete");
    BOOST_TEST(d.at("memory").at("total_bytes").to_number<std::uint64_t>() == 16ull << 30);
    BOOST_TEST(!d.at("usable").as_bool());
    BOOST_TEST(std::string(d.at("reason").as_string()).find("/dev/dri/renderD128 not accessible") == 0u);
}

BOOST_AUTO_TEST_CASE(broken_topology_file_is_a_note_not_a_crash) {
    test::TempDir root;
    write_gpu(root, "110000", 16ull << 30, 32ull << 30);
    root.write("sys/class/kfd/kfd/topology/nodes/2/properties", "simd_count 4\ngfx_target_version 11");
    root.write("sys/class/kfd/kfd/topology/nodes/3/properties", "simd_count 8\ngfx_target_version 91600\n");
    auto inv = test::detect_sysroot(root.path());
    int amd = 0;
    for (const auto &d : inv.at("devices").as_array()) amd += d.at("vendor") == "amd";
    BOOST_TEST(amd == 3);  // node 2 parses ("11" is a number), node 3 has an impossible target
    bool flagged = false;
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("vendor") == "amd" && !d.at("usable").as_bool())
            flagged = flagged || std::string(d.at("reason").as_string()).find("91600") != std::string::npos;
    BOOST_TEST(flagged);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(fixture_comparison_reports_a_wrong_machine) {
    // The checker itself must fail when the recording does not match: RDNA3 against Polaris's expectations.
    auto problems = test::compare_with_expected(test::detect_sysroot(machine("amd-rdna3-discrete")),
                                                test::read_json_object(machine("amd-polaris-gfx803") / "expected.json"),
                                                {"amd"});
    BOOST_TEST(!problems.empty());
}

BOOST_AUTO_TEST_CASE(rocminfo_pasted_in_part_keeps_the_name_and_the_gpu_usable) {
    // Agent 2 alone, cut before "Device Type", as posted in
    // https://github.com/PTFOPlayer/rocm_smi_lib_rs/issues/2 (without its Device Type line).
    test::TempDir root;
    write_gpu(root, "110000", 24ull << 30, 32ull << 30);
    root.write("tools/rocminfo.txt",
               "*******                  \nAgent 2                  \n*******                  \n"
               "  Name:                    gfx1100                                       \n"
               "  Marketing Name:          Radeon RX 7900 XTX                 \n"
               "  Vendor Name:             AMD                                \n");
    auto inv = test::detect_sysroot(root.path());
    const auto &d = only_device(inv, "amd");
    BOOST_TEST(d.at("name") == "Radeon RX 7900 XTX");
    BOOST_TEST(d.at("usable").as_bool(), d);
}

BOOST_AUTO_TEST_CASE(amd_smi_static_names_a_gpu_rocminfo_does_not) {
    test::TempDir root;
    write_gpu(root, "110000", 24ull << 30, 32ull << 30);
    root.write("tools/amd-smi_static.txt",
               slurp(fs::path(GPUHOST_FIXTURES) / "outputs/amd-smi/static-mi350x.txt"));
    // The recording's GPU sits at 0000:05:00.0 too, so the two are one GPU.
    auto inv = test::detect_sysroot(root.path());
    const auto &d = only_device(inv, "amd");
    BOOST_TEST(d.at("name") == "AMD Instinct MI350X");
    bool from_smi = false;
    for (const auto &sig : d.at("signals").as_array()) from_smi = from_smi || sig == "amd-smi";
    BOOST_TEST(from_smi);
}

BOOST_AUTO_TEST_CASE(smi_product_names_in_every_layout) {
    const fs::path outputs = fs::path(GPUHOST_FIXTURES) / "outputs";
    auto csv = rocm::parse_rocm_smi_product(slurp(outputs / "rocm-smi/showproductname-csv-mi100-x2.txt"));
    BOOST_REQUIRE_EQUAL(csv.size(), 2u);
    BOOST_TEST(csv[1].index == 1);
    BOOST_TEST(csv[1].name == "AMD Instinct MI100");
    auto hex_only = rocm::parse_rocm_smi_product(slurp(outputs / "rocm-smi/showproductname-rocm4-mi100-hex.txt"));
    BOOST_REQUIRE_EQUAL(hex_only.size(), 1u);
    BOOST_TEST(hex_only[0].name.empty());  // "0x738c" and "0xc34" are ids, not names
    auto json = rocm::parse_amd_smi_static(slurp(outputs / "amd-smi/static-json-rx7800xt-warnings.txt"));
    BOOST_REQUIRE_EQUAL(json.size(), 1u);
    BOOST_TEST(json[0].gfx == "gfx1101");
    BOOST_TEST(rocm::parse_amd_smi_static("").empty());
    BOOST_TEST(rocm::parse_rocm_smi_product("{\"card0\": ").empty());
}
