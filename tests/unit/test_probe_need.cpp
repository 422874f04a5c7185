// When the Vulkan and OpenCL probes run: the decision from the vendor plugins'
// answers and the PCI bus (probe_need), and which request wins
// (resolve_probe_request).
#include "detect/gpu_class_devices.hpp"
#include "detect/probe_need.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

namespace json = boost::json;
using namespace gpuhost;
using test::TempDir;

namespace {

void add_pci(const TempDir &root, const std::string &bus, const std::string &vendor, const std::string &device,
             const std::string &cls) {
    root.write("sys/bus/pci/devices/" + bus + "/vendor", vendor + "\n");
    root.write("sys/bus/pci/devices/" + bus + "/device", device + "\n");
    root.write("sys/bus/pci/devices/" + bus + "/class", cls + "\n");
}

Manifest manifest(const std::string &name, const std::string &vendor, const std::string &kind = "vendor") {
    Manifest m;
    m.name = name;
    m.vendor = vendor;
    m.kind = kind;
    return m;
}

// cpu, cuda, rocm (vendor plugins) and vulkan (a probe); cuda and rocm answered "absent".
struct Plugins {
    std::vector<Manifest> manifests = {manifest("cpu", "cpu"), manifest("cuda", "nvidia"), manifest("rocm", "amd"),
                                       manifest("vulkan", "other", "probe")};
    std::vector<PluginOutcome> outcomes = {{"cpu", "present", "", {}, 0},
                                           {"cuda", "absent", "", {}, 0},
                                           {"rocm", "absent", "", {}, 0}};
};

json::array cpu_record() {
    return {json::object{{"vendor", "intel"}, {"backend", "cpu"}, {"type", "cpu"}, {"name", "Xeon"}}};
}

json::object gpu_record(const std::string &vendor, const std::string &pci_vendor, const std::string &bus) {
    json::object pci{{"vendor_id", pci_vendor}};
    if (!bus.empty()) pci["bus_id"] = bus;
    return {{"vendor", vendor}, {"backend", "cuda"}, {"type", "discrete"}, {"pci", pci}};
}

std::optional<std::string> need(const TempDir &root, const Plugins &p, const json::array &devices,
                                std::string *why_not = nullptr) {
    std::string w;
    auto r = probe_need(root.path().string(), p.manifests, p.outcomes, devices, w);
    if (why_not) *why_not = w;
    return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_gpu_no_vendor_plugin_claims_needs_the_probes) {
    TempDir root;
    add_pci(root, "0000:03:00.0", "0x1ed5", "0x0100", "0x030000");  // a maker no plugin knows
    auto r = need(root, Plugins{}, cpu_record());
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(*r == "0000:03:00.0 (0x1ed5:0x0100, class 0x030000) is claimed by no vendor plugin");
}

BOOST_AUTO_TEST_CASE(processing_accelerators_count_as_gpus) {
    TempDir root;
    add_pci(root, "0000:b3:00.0", "0x1da3", "0x1020", "0x120000");
    BOOST_TEST(need(root, Plugins{}, cpu_record()).has_value());
}

BOOST_AUTO_TEST_CASE(a_gpu_its_vendor_plugin_reported_needs_nothing_more) {
    TempDir root;
    add_pci(root, "0000:01:00.0", "0x10de", "0x2335", "0x030200");
    add_pci(root, "0000:00:1f.3", "0x8086", "0x51c8", "0x040300");  // audio: not a GPU
    json::array devices = cpu_record();
    devices.push_back(gpu_record("nvidia", "0x10de", "00000000:01:00.0"));  // nvidia-smi's spelling
    std::string why_not;
    BOOST_TEST(!need(root, Plugins{}, devices, &why_not).has_value());
    BOOST_TEST(why_not == "the vendor plugins claimed every GPU-class PCI device (1)");
}

BOOST_AUTO_TEST_CASE(a_record_without_a_bus_id_claims_one_device_of_its_maker) {
    TempDir root;
    add_pci(root, "0000:01:00.0", "0x10de", "0x2335", "0x030200");
    add_pci(root, "0000:02:00.0", "0x10de", "0x2335", "0x030200");
    json::array devices = cpu_record();
    devices.push_back(gpu_record("nvidia", "0x10de", ""));
    auto r = need(root, Plugins{}, devices);
    BOOST_REQUIRE(r.has_value());  // two GPUs on the bus, one record
    BOOST_TEST(r->rfind("0000:02:00.0", 0) == 0u, *r);
    devices.push_back(json::object{{"vendor", "nvidia"}, {"backend", "cuda"}, {"type", "discrete"}});  // no pci at all
    BOOST_TEST(!need(root, Plugins{}, devices).has_value());
}

BOOST_AUTO_TEST_CASE(the_cpu_record_claims_no_gpu_of_its_maker) {
    TempDir root;
    add_pci(root, "0000:00:02.0", "0x8086", "0xa780", "0x030000");  // an Intel iGPU; the intel plugin is absent
    BOOST_TEST(need(root, Plugins{}, cpu_record()).has_value());
}

BOOST_AUTO_TEST_CASE(console_only_adapters_need_no_probes) {
    TempDir root;
    add_pci(root, "0000:02:00.0", "0x1a03", "0x2000", "0x030000");  // ASPEED BMC
    add_pci(root, "0000:00:02.0", "0x1234", "0x1111", "0x030000");  // QEMU standard VGA
    add_pci(root, "0000:00:0f.0", "0x15ad", "0x0405", "0x030000");  // VMware SVGA II
    std::string why_not;
    BOOST_TEST(!need(root, Plugins{}, cpu_record(), &why_not).has_value());
    BOOST_TEST(why_not == "no GPU-class PCI device on this machine");
    BOOST_TEST(gpu_class_devices(root.path().string()).empty());
    BOOST_TEST(!console_only("0x15ad", "0x0406"));  // only that one VMware device
}

BOOST_AUTO_TEST_CASE(without_a_vendor_gpu_plugin_that_answered_the_probes_run) {
    TempDir root;  // no PCI bus at all (macOS, some containers)
    Plugins only_cpu;
    only_cpu.manifests = {manifest("cpu", "cpu"), manifest("vulkan", "other", "probe")};
    only_cpu.outcomes = {{"cpu", "present", "", {}, 0}};
    auto r = need(root, only_cpu, cpu_record());
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(*r == "no vendor GPU plugin answered on this machine");
    // A GPU plugin that failed or does not run on this platform did not answer either.
    Plugins broken;
    broken.outcomes = {{"cpu", "present", "", {}, 0}, {"cuda", "failed", "crashed", {}, 0},
                       {"rocm", "unsupported_platform", "", {}, 0}};
    BOOST_TEST(need(root, broken, cpu_record()).has_value());
    BOOST_TEST(!need(root, Plugins{}, cpu_record()).has_value());
}

BOOST_AUTO_TEST_CASE(which_request_wins) {
    BOOST_TEST((resolve_probe_request("auto", false, false) == ProbeRequest::automatic));
    BOOST_TEST((resolve_probe_request("always", false, false) == ProbeRequest::always));
    BOOST_TEST((resolve_probe_request("auto", true, false) == ProbeRequest::always));    // bench, kernel fallback
    BOOST_TEST((resolve_probe_request("never", true, false) == ProbeRequest::never));   // the user said never
    BOOST_TEST((resolve_probe_request("never", false, true) == ProbeRequest::always));  // --all says so now
    BOOST_TEST((resolve_probe_request("", false, false) == ProbeRequest::automatic));
    BOOST_TEST(!parse_probe_request("sometimes").has_value());
}
