// `gpuhost detect --json --sysroot <machine>` as a user runs it, for every
// recorded machine with an NVIDIA GPU, compared with its expected.json; then
// variations of those machines for the reasons a GPU is not usable.
#include "core/tool_runner.hpp"
#include "detect/device_schema.hpp"
#include "nvidia_smi_parse.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;

namespace {

const fs::path machines = fs::path(GPUHOST_FIXTURES) / "machines";

json::object read_json(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str()).as_object();
}

json::object detect(const fs::path &sysroot, std::map<std::string, std::string> env = {}) {
    auto r = test::run_gpuhost({"detect", "--json", "--sysroot", sysroot.string()}, std::move(env));
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output);
    return json::parse(r.output).as_object();
}

std::vector<json::object> cuda_devices(const json::object &inventory) {
    std::vector<json::object> out;
    for (const auto &d : inventory.at("devices").as_array()) {
        auto errors = validate_device(d, "device");
        BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
        if (d.at("plugin") == "cuda") out.push_back(d.as_object());
    }
    return out;
}

const json::object &cuda_outcome(const json::object &inventory) {
    for (const auto &p : inventory.at("plugins").as_array())
        if (p.at("plugin") == "cuda") return p.as_object();
    BOOST_FAIL("the cuda plugin did not run");
    throw std::logic_error("unreachable");
}

std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::string bus_id(const json::object &d) {
    auto it = d.find("pci");
    return it != d.end() ? text(it->value().as_object(), "bus_id") : std::string();
}

void compare(const json::object &want, const json::object &got) {
    for (const char *key : {"name", "type", "architecture", "driver_version"})
        if (want.contains(key)) BOOST_TEST(text(got, key) == text(want, key), key);
    if (want.contains("runtime_version"))
        BOOST_TEST(text(got.at("runtime").as_object(), "version") == text(want, "runtime_version"));
    if (want.contains("memory_total_mib"))
        BOOST_TEST(got.at("memory").at("total_bytes").to_number<std::uint64_t>() / (1024 * 1024) ==
                   want.at("memory_total_mib").to_number<std::uint64_t>());
    if (want.contains("usable")) BOOST_TEST(got.at("usable").as_bool() == want.at("usable").as_bool());
    if (want.contains("reason_contains"))
        BOOST_TEST(text(got, "reason").find(text(want, "reason_contains")) != std::string::npos, text(got, "reason"));
}

// A copy of a recorded machine to vary.
void copy_machine(const std::string &name, const fs::path &to) {
    fs::copy(machines / name, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

}  // namespace

BOOST_AUTO_TEST_CASE(recorded_nvidia_machines_match_expected) {
    int checked = 0;
    for (const auto &entry : fs::directory_iterator(machines)) {
        if (!fs::exists(entry.path() / "expected.json")) continue;
        std::vector<json::object> want;
        auto expected = read_json(entry.path() / "expected.json");
        for (const auto &d : expected.at("devices").as_array())
            if (d.at("vendor") == "nvidia") want.push_back(d.as_object());
        if (want.empty()) continue;
        std::string machine = entry.path().filename().string();
        BOOST_TEST_CONTEXT(machine) {
            auto inventory = detect(entry.path());
            BOOST_TEST(text(cuda_outcome(inventory), "status") == "present");
            auto got = cuda_devices(inventory);
            BOOST_REQUIRE_EQUAL(got.size(), want.size());
            std::vector<bool> taken(got.size());
            for (const auto &w : want) {
                // Match by bus id where the expectation has one, else the next unmatched device.
                size_t i = 0;
                while (i < got.size() && (taken[i] || (w.contains("pci_bus_id") && bus_id(got[i]) != text(w, "pci_bus_id")))) ++i;
                BOOST_REQUIRE_MESSAGE(i < got.size(), "no detected device for " + json::serialize(w));
                taken[i] = true;
                compare(w, got[i]);
                BOOST_TEST(got[i].at("vendor") == "nvidia");
                BOOST_TEST(got[i].at("backend") == "cuda");
            }
        }
        ++checked;
    }
    BOOST_TEST(checked >= 6);  // multi-gpu, two mismatches, laptop, WSL2, Jetson
}

BOOST_AUTO_TEST_CASE(gpu_on_the_bus_with_nouveau_says_so) {
    test::TempDir dir;
    copy_machine("laptop-intel-igpu-nvidia-dgpu", dir.path());
    fs::create_directories(dir / "sys/module/nouveau");
    auto got = cuda_devices(detect(dir.path()));
    BOOST_REQUIRE_EQUAL(got.size(), 1u);
    BOOST_TEST(!got[0].at("usable").as_bool());
    auto reason = text(got[0], "reason");
    BOOST_TEST(reason.find("NVIDIA driver not loaded") != std::string::npos, reason);
    BOOST_TEST(reason.find("nouveau") != std::string::npos, reason);
    BOOST_TEST(bus_id(got[0]) == "0000:01:00.0");
    BOOST_TEST(got[0].at("pci").at("device_id") == "0x1f97");
}

BOOST_AUTO_TEST_CASE(kernel_module_without_user_space_driver) {
    // The 8x H100 machine with its nvidia-smi recordings removed: the module
    // and the GPUs are there, nothing in user space answers.
    test::TempDir dir;
    copy_machine("nvidia-multi-gpu-server", dir.path());
    fs::remove_all(dir / "tools");
    auto got = cuda_devices(detect(dir.path()));
    BOOST_REQUIRE_EQUAL(got.size(), 8u);
    for (const auto &d : got) {
        BOOST_TEST(!d.at("usable").as_bool());
        BOOST_TEST(text(d, "reason").find("565.57.01 is loaded but neither NVML, libcuda nor nvidia-smi answered") !=
                       std::string::npos,
                   text(d, "reason"));
        BOOST_TEST(text(d, "driver_version") == "565.57.01");
    }
}

BOOST_AUTO_TEST_CASE(control_node_the_user_cannot_open) {
    test::TempDir dir;
    copy_machine("nvidia-multi-gpu-server", dir.path());
    fs::remove_all(dir / "tools");
    dir.write(".gpuhost/denied", "/dev/nvidiactl\n");
    auto got = cuda_devices(detect(dir.path()));
    BOOST_REQUIRE_EQUAL(got.size(), 8u);
    BOOST_TEST(text(got[0], "reason").find("no permission to open /dev/nvidiactl") != std::string::npos, text(got[0], "reason"));
}

BOOST_AUTO_TEST_CASE(compute_capability_below_the_oldest_supported) {
    test::TempDir dir;
    dir.write("proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.256.02  Thu May  2 14:37:44 UTC 2024\n");
    std::vector<std::string> argv{"nvidia-smi", std::string("--query-gpu=") + cuda::kSmiQueryFields, "--format=csv,noheader,nounits"};
    // A Tesla K80 (compute capability 3.7), in the CSV form gpuhost asks for.
    dir.write("tools/" + ToolRunner::recording_key(argv) + ".txt",
              "0, Tesla K80, GPU-0a1b2c3d-0000-1111-2222-333344445555, 00000000:04:00.0, 11441, 11430, 470.256.02, 3.7\n");
    auto got = cuda_devices(detect(dir.path()));
    BOOST_REQUIRE_EQUAL(got.size(), 1u);
    BOOST_TEST(text(got[0], "architecture") == "3.7");
    BOOST_TEST(!got[0].at("usable").as_bool());
    BOOST_TEST(text(got[0], "reason").find("compute capability 3.7 is below 5.0") != std::string::npos, text(got[0], "reason"));
    BOOST_TEST(text(got[0], "driver_version") == "470.256.02");
}

BOOST_AUTO_TEST_CASE(machine_without_nvidia_is_absent_with_notes) {
    test::TempDir dir;
    dir.write("proc/version", "Linux version 6.1.0-18-amd64\n");
    auto inventory = detect(dir.path());
    BOOST_TEST(cuda_devices(inventory).empty());
    const auto &outcome = cuda_outcome(inventory);
    BOOST_TEST(text(outcome, "status") == "absent");
    BOOST_TEST(json::serialize(outcome.at("notes")).find("no NVIDIA GPU on the PCI bus") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nvml_override_under_a_sysroot_and_a_gpu_it_does_not_list) {
    // The 8x H100 machine with a test NVML that knows only its first two GPUs
    // (GPUHOST_NVML_LIBRARY is honoured under a sysroot; the real one never is).
    auto got = cuda_devices(detect(machines / "nvidia-multi-gpu-server",
                                   {{"GPUHOST_NVML_LIBRARY", GPUHOST_TEST_DRIVER_DIR "/libfake_nvml_good.so"}}));
    BOOST_REQUIRE_EQUAL(got.size(), 8u);
    int usable = 0;
    for (const auto &d : got) {
        auto signals = json::serialize(d.at("signals"));
        if (d.at("usable").as_bool()) {
            ++usable;
            BOOST_TEST(signals.find("nvml") != std::string::npos);
            BOOST_TEST(text(d, "uuid").rfind("GPU-", 0) == 0u);
        } else {
            BOOST_TEST(signals == R"(["sysfs"])");
            BOOST_TEST(text(d, "reason").find("nvml lists other GPUs and not this one") != std::string::npos, text(d, "reason"));
        }
    }
    BOOST_TEST(usable == 2);
}
