// gpuhost doctor on recorded machines (tests/fixtures/machines) and on small
// hand-made sysroots, plus a live run on this machine.
#include "core/subprocess.hpp"
#include "doctor/doctor.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"
#include "core/files.hpp"

#include <boost/test/unit_test.hpp>

using namespace gpuhost;
using namespace gpuhost::doctor;
namespace json = boost::json;

namespace {

std::string machine(const std::string &name) { return std::string(GPUHOST_FIXTURES) + "/machines/" + name; }

Report doctor_on(const std::string &sysroot) {
    Options o;
    o.sysroot = sysroot;
    return run(o);
}

const Finding *find(const Report &r, const std::string &check, Severity s, const std::string &part = {}) {
    for (const auto &f : r.findings)
        if (f.check == check && f.severity == s && f.summary.find(part) != std::string::npos) return &f;
    return nullptr;
}

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(container_without_kfd_access_is_critical) {
    auto r = doctor_on(machine("container-no-kfd-access"));
    auto *f = find(r, "device_nodes", Severity::critical, "/dev/kfd");
    BOOST_REQUIRE(f);
    BOOST_TEST(f->rule == "kfd_permission_denied");
    BOOST_TEST(has(f->fix, "render"));
    BOOST_TEST(f->details.at("missing_groups").as_string() == "render");  // groups.txt: rocm-user sudo video
    BOOST_TEST(r.has(Severity::critical));
    // The render nodes were passed in and are not in .gpuhost/denied.
    BOOST_TEST(find(r, "device_nodes", Severity::info, "/dev/dri/renderD128"));
    // Live-only checks are skipped, with a note each.
    BOOST_TEST(r.skipped.size() == 4u);
    BOOST_TEST(!find(r, "python", Severity::info));
}

BOOST_AUTO_TEST_CASE(nvidia_module_and_library_mismatch) {
    auto r = doctor_on(machine("nvidia-driver-library-mismatch"));
    auto *f = find(r, "driver", Severity::critical, "does not match");
    BOOST_REQUIRE(f);
    BOOST_TEST(f->rule == "nvml_driver_library_mismatch");
    BOOST_TEST(f->details.at("kernel_module").as_string() == "580.173.02");
    BOOST_TEST(f->details.at("library").as_string() == "580.178");
    BOOST_TEST(has(f->fix, "reboot"));

    auto open = doctor_on(machine("nvidia-mismatch-open-kernel-module"));
    auto *g = find(open, "driver", Severity::critical, "does not match");
    BOOST_REQUIRE(g);
    BOOST_TEST(g->details.at("library").as_string() == "580.159");

    // A healthy server: modules loaded, no mismatch.
    auto ok = doctor_on(machine("nvidia-multi-gpu-server"));
    BOOST_TEST(!ok.has(Severity::critical));
    BOOST_TEST(find(ok, "driver", Severity::info, "nvidia kernel module loaded"));
}

BOOST_AUTO_TEST_CASE(jetson_is_recognised_and_healthy) {
    auto r = doctor_on(machine("jetson"));
    auto *f = find(r, "platform", Severity::info, "Jetson");
    BOOST_REQUIRE(f);
    BOOST_TEST(f->details.at("l4t").as_string() == "R35.3.1");
    BOOST_TEST(has(f->summary, "Orin Nano"));
    BOOST_TEST(!r.has(Severity::error));  // no PCI GPU, no nvidia module: nothing to complain about
}

BOOST_AUTO_TEST_CASE(wsl2_with_nvidia) {
    auto r = doctor_on(machine("wsl2-nvidia"));
    BOOST_TEST(find(r, "platform", Severity::info, "WSL2"));
    BOOST_TEST(find(r, "platform", Severity::info, "/usr/lib/wsl/lib"));
    BOOST_TEST(find(r, "device_nodes", Severity::info, "/dev/dxg"));
    BOOST_TEST(!r.has(Severity::error));
}

BOOST_AUTO_TEST_CASE(a_gpu_without_a_driver_and_secure_boot) {
    test::TempDir root;
    root.write("sys/bus/pci/devices/0000:01:00.0/class", "0x030000\n");
    root.write("sys/bus/pci/devices/0000:01:00.0/vendor", "0x10de\n");
    root.write("sys/bus/pci/devices/0000:01:00.0/uevent", "PCI_ID=10DE:2684\n");
    auto unsigned_driver = doctor_on(root.path().string());
    BOOST_TEST(find(unsigned_driver, "driver", Severity::error, "no kernel driver bound"));
    BOOST_TEST(!unsigned_driver.has(Severity::critical));  // Secure Boot state unknown: not blamed

    // mokutil's recorded answer says Secure Boot is on: that is why the module is missing.
    root.write("tools/mokutil_--sb-state.txt", "SecureBoot enabled\n");
    auto blocked = doctor_on(root.path().string());
    auto *f = find(blocked, "secure_boot", Severity::critical);
    BOOST_REQUIRE(f);
    BOOST_TEST(f->rule == "secure_boot_blocks_module");

    // The EFI variable says so too (4 attribute bytes, then 1).
    std::filesystem::remove(root / "tools/mokutil_--sb-state.txt");
    root.write("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", std::string("\x06\0\0\0\x01", 5));
    BOOST_TEST(find(doctor_on(root.path().string()), "secure_boot", Severity::critical));
    root.write("sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", std::string("\x06\0\0\0\x00", 5));
    BOOST_TEST(find(doctor_on(root.path().string()), "secure_boot", Severity::info, "off"));
}

BOOST_AUTO_TEST_CASE(nouveau_holding_an_nvidia_gpu) {
    test::TempDir root;
    root.write("sys/bus/pci/devices/0000:01:00.0/class", "0x030000\n");
    root.write("sys/bus/pci/devices/0000:01:00.0/vendor", "0x10de\n");
    root.write("sys/bus/pci/devices/0000:01:00.0/uevent", "DRIVER=nouveau\nPCI_ID=10DE:2684\n");
    root.write("sys/module/nouveau/initstate", "live\n");
    auto r = doctor_on(root.path().string());
    auto *f = find(r, "driver", Severity::error, "nouveau");
    BOOST_REQUIRE(f);
    BOOST_TEST(f->rule == "nouveau_loaded");
    BOOST_TEST(find(r, "driver", Severity::info, "nouveau kernel module loaded"));
}

// The CUDA toolkit's lib64/stubs/libcuda.so lets programs link on a machine
// without a driver; registered with the loader it hides the driver's libcuda
// and every CUDA call fails with error 34 (rule cuda_stub_library).
BOOST_AUTO_TEST_CASE(the_toolkits_stub_libcuda_on_the_loaders_path) {
    test::TempDir root;
    const std::string stubs = "/usr/local/cuda-12.4/targets/x86_64-linux/lib/stubs";
    root.write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n");
    root.write("etc/ld.so.conf.d/000_cuda.conf", "/usr/local/cuda-12.4/targets/x86_64-linux/lib\n");
    root.write("etc/ld.so.conf.d/zz-cuda-stubs.conf", stubs + "/\n");
    root.write(stubs.substr(1) + "/libcuda.so", "");
    auto stub_finding = [](const Report &r) -> const Finding * {
        for (const auto &f : r.findings)
            if (f.rule == "cuda_stub_library") return &f;
        return nullptr;
    };
    // No NVIDIA GPU here: a build machine may link against the stub on purpose.
    auto build_box = doctor_on(root.path().string());
    const auto *f = stub_finding(build_box);
    BOOST_REQUIRE(f);
    BOOST_TEST((f->severity == Severity::info));
    BOOST_TEST(has(f->summary, stubs), f->summary);

    // With the driver loaded, programs opening libcuda.so get the stub.
    root.write("proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024\n");
    auto gpu_without_so1 = doctor_on(root.path().string());
    f = stub_finding(gpu_without_so1);
    BOOST_REQUIRE(f);
    BOOST_TEST((f->severity == Severity::warning));
    // A libcuda.so.1 there is what the loader takes for every CUDA program.
    root.write(stubs.substr(1) + "/libcuda.so.1", "");
    auto gpu_box = doctor_on(root.path().string());
    f = stub_finding(gpu_box);
    BOOST_REQUIRE(f);
    BOOST_TEST((f->severity == Severity::error));
    BOOST_TEST(has(f->fix, "/etc/ld.so.conf.d/zz-cuda-stubs.conf"), f->fix);
    BOOST_TEST(f->details.at("soname").as_string() == "libcuda.so.1");

    // The toolkit's own library folder (no stubs) is fine.
    std::filesystem::remove(root / "etc/ld.so.conf.d/zz-cuda-stubs.conf");
    BOOST_TEST(!stub_finding(doctor_on(root.path().string())));
}

// A GPU in Exclusive_Process mode takes one process at a time; the next fails
// with CUDA error 46 (rule cuda_devices_busy). The recorded servers run in Default.
BOOST_AUTO_TEST_CASE(compute_modes_that_refuse_a_second_process) {
    auto busy = [](const Report &r) {
        std::vector<const Finding *> out;
        for (const auto &f : r.findings)
            if (f.rule == "cuda_devices_busy") out.push_back(&f);
        return out;
    };
    BOOST_TEST(busy(doctor_on(machine("nvidia-multi-gpu-server"))).empty());
    BOOST_TEST(busy(doctor_on(machine("nvidia-h200"))).empty());

    // The H100 server's recording with its second GPU set to Exclusive_Process
    // and its third to Prohibited, as `nvidia-smi -c 3` and `-c 2` leave them.
    test::TempDir root;
    std::filesystem::copy(machine("nvidia-multi-gpu-server"), root.path(), std::filesystem::copy_options::recursive);
    auto smi = root / "tools/nvidia-smi_-q.txt";
    auto text = read_text(smi).value();
    std::size_t at = 0;
    for (const char *mode : {"Default", "Exclusive_Process", "Prohibited"}) {
        at = text.find("Compute Mode", at);
        BOOST_REQUIRE(at != std::string::npos);
        auto value = text.find("Default", at);
        text.replace(value, 7, mode);
        at = value;
    }
    write_file_atomic(smi, text);
    auto report = doctor_on(root.path().string());
    auto found = busy(report);
    BOOST_REQUIRE(found.size() == 2u);
    BOOST_TEST((found[0]->severity == Severity::warning));
    BOOST_TEST(has(found[0]->summary, "00000000:2A:00.0"), found[0]->summary);
    BOOST_TEST(found[0]->details.at("compute_mode") == "Exclusive_Process");
    BOOST_TEST(has(found[0]->fix, "nvidia-smi -i 00000000:2A:00.0 -c DEFAULT"), found[0]->fix);
    BOOST_TEST((found[1]->severity == Severity::error));
    BOOST_TEST(has(found[1]->summary, "00000000:3A:00.0"), found[1]->summary);
}

// LD_LIBRARY_PATH is read on a live machine: the user's own environment.
BOOST_AUTO_TEST_CASE(live_doctor_reads_ld_library_path) {
    test::TempDir dir;
    dir.write("cuda/lib64/stubs/libcuda.so.1", "");
    auto r = test::run_gpuhost_live({"doctor", "--json", "--timeout", "3"},
                                    {{"LD_LIBRARY_PATH", "/nonexistent:" + (dir / "cuda/lib64/stubs/").string()}});
    auto doc = parse_json(r.output, "doctor --json").as_object();
    const json::object *stub = nullptr;
    for (const auto &v : doc.at("findings").as_array())
        if (v.as_object().contains("rule") && v.at("rule") == "cuda_stub_library") stub = &v.as_object();
    BOOST_REQUIRE(stub);
    BOOST_TEST(stub->at("details").at("set_in") == "LD_LIBRARY_PATH");
    BOOST_TEST(std::string(stub->at("details").at("folder").as_string()) == (dir / "cuda/lib64/stubs").string());
    // An error where this machine has an NVIDIA driver, a note where it has none.
    auto sev = std::string(stub->at("severity").as_string());
    bool nvidia = std::filesystem::exists("/proc/driver/nvidia") || std::filesystem::exists("/dev/dxg");
    BOOST_TEST(sev == (nvidia ? "error" : "info"));
}

BOOST_AUTO_TEST_CASE(environments_are_checked_from_their_state_files) {
    test::TempDir envs;
    // The test binary stands in for an interpreter that exists.
    auto self = std::filesystem::read_symlink("/proc/self/exe").string();
    envs.write("good/environment_state.json",
               "{\"profile\": \"nlp\", \"python\": {\"executable\": \"" + self + "\"}, \"last_run\": {\"status\": \"ok\"}}");
    envs.write("failed/environment_state.json",
               "{\"profile\": \"cv\", \"python\": {\"executable\": \"" + self + "\"}, \"last_run\": {\"status\": \"failed\"}}");
    envs.write("gone/environment_state.json", "{\"python\": {\"executable\": \"/nonexistent/bin/python\"}}");
    envs.write("corrupt/environment_state.json", "{\"python\": ");
    envs.write("stray/readme.txt", "not an environment");
    Options o;
    o.envs_dir = envs.path();
    o.index_hosts.clear();
    auto r = run(o);
    BOOST_TEST(find(r, "environments", Severity::info, "good (profile nlp): last run ok"));
    BOOST_TEST(find(r, "environments", Severity::warning, "failed (profile cv): last run failed"));
    auto *gone = find(r, "environments", Severity::error, "gone: its interpreter /nonexistent/bin/python is gone");
    BOOST_REQUIRE(gone);
    BOOST_TEST(gone->rule == "venv_broken_python");
    BOOST_TEST(find(r, "environments", Severity::error, "corrupt/environment_state.json"));  // names the file
    BOOST_TEST(find(r, "environments", Severity::warning, "stray has no environment_state.json"));
}

BOOST_AUTO_TEST_CASE(live_doctor_on_this_machine) {
    auto r = test::run_gpuhost_live({"doctor", "--json", "--timeout", "3"});
    BOOST_TEST((r.exit_code == 0 || r.exit_code == 1), r.error_output);
    auto doc = parse_json(r.output, "doctor --json").as_object();
    BOOST_TEST((r.exit_code == 1) == doc.at("critical").as_bool());
    bool python = false, pypi = false, pytorch = false, files = false;
    for (const auto &v : doc.at("findings").as_array()) {
        const auto &f = v.as_object();
        auto check = std::string(f.at("check").as_string());
        if (check == "python" && f.contains("details") && f.at("details").as_object().contains("version")) python = true;
        if (check == "network") {
            // Reachable or not, the finding says which, and its severity agrees.
            bool reachable = f.at("details").at("reachable").as_bool();
            auto sev = std::string(f.at("severity").as_string());
            BOOST_TEST(sev == (reachable ? "info" : "warning"));
            BOOST_TEST(has(std::string(f.at("summary").as_string()), reachable ? "reachable" : "unreachable"));
            auto host = std::string(f.at("details").at("host").as_string());
            pypi = pypi || host == "pypi.org";
            pytorch = pytorch || host == "download.pytorch.org";
            files = files || host == "files.pythonhosted.org";
        }
    }
    // Only claimed where this machine has a python3 to find.
    if (!find_on_path("python3").empty()) BOOST_TEST(python);
    BOOST_TEST(pypi);
    BOOST_TEST(pytorch);
    BOOST_TEST(files);
    BOOST_TEST(doc.at("skipped").as_array().empty());  // live: every check ran
}

BOOST_AUTO_TEST_CASE(exit_code_says_whether_anything_is_critical) {
    BOOST_TEST(test::run_gpuhost({"doctor", "--sysroot", machine("container-no-kfd-access")}).exit_code == 1);
    auto ok = test::run_gpuhost({"doctor", "--sysroot", machine("wsl2-nvidia")});
    BOOST_TEST(ok.exit_code == 0);
    BOOST_TEST(has(ok.output, "skipped under --sysroot: network"));
    auto help = test::run_gpuhost({"doctor", "--help"});
    BOOST_TEST(has(help.output, "1 at least one\ncritical finding"));
}

BOOST_AUTO_TEST_CASE(containers_wsl_and_amd_without_their_device_nodes) {
    test::TempDir container;
    container.write(".dockerenv", "");
    container.write("proc/version", "Linux version 6.8.0-45-generic\n");
    auto c = doctor_on(container.path().string());
    auto *f = find(c, "platform", Severity::warning, "no GPU device nodes");
    BOOST_REQUIRE(f);
    BOOST_TEST(f->rule == "container_no_gpu");
    BOOST_TEST(find(c, "platform", Severity::info, "(/.dockerenv)"));

    test::TempDir wsl;
    wsl.write("proc/version", "Linux version 5.15.167.4-microsoft-standard-WSL2\n");
    auto w = doctor_on(wsl.path().string());
    auto *g = find(w, "platform", Severity::error, "/dev/dxg");
    BOOST_REQUIRE(g);
    BOOST_TEST(g->rule == "wsl_gpu_not_visible");

    test::TempDir amd;
    amd.write("sys/bus/pci/devices/0000:03:00.0/class", "0x030000\n");
    amd.write("sys/bus/pci/devices/0000:03:00.0/vendor", "0x1002\n");
    amd.write("sys/bus/pci/devices/0000:03:00.0/uevent", "DRIVER=amdgpu\n");
    amd.write("sys/module/amdgpu/initstate", "live\n");
    amd.write("dev/dri/renderD128", "");
    auto a = doctor_on(amd.path().string());
    BOOST_TEST(find(a, "device_nodes", Severity::error, "/dev/kfd is not"));
    amd.write("dev/kfd", "");
    BOOST_TEST(!doctor_on(amd.path().string()).has(Severity::error));
}

BOOST_AUTO_TEST_CASE(index_hosts_come_from_the_plan) {
    auto hosts = index_hosts_of("https://download.pytorch.org/whl/cu128",
                                {"https://user:token@pkgs.example.com:8443/simple/", "https://pypi.org/simple"});
    BOOST_TEST(hosts == (std::vector<std::string>{"pypi.org", "files.pythonhosted.org", "download.pytorch.org",
                                                  "pkgs.example.com"}),
               boost::test_tools::per_element());
    BOOST_TEST(index_hosts_of("", {}).size() == 2u);
}
