// `gpuhost export slurm` read by Slurm itself: `slurmd -G` (print the GRES
// configuration and exit; needs no controller) parses a minimal slurm.conf built
// from the exported fragment plus the exported gres.conf. Slurm insists that
// File= names a character device, so the /dev paths are pointed at symlinks to
// /dev/null in a temporary folder; nothing else is changed.
#include "export/export_support.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include "export/slurm_gres.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <regex>

using namespace gpuhost;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct SlurmRun {
    json::object exported;        // export --json
    std::string slurmd_output;    // what slurmd -G printed
    std::vector<std::string> gres;  // its "Gres Name=gpu ..." lines
};

// slurmd -G on the exported gres.conf and a slurm.conf made of the fragment.
void parse_with_slurmd(SlurmRun &run, std::string gres, const std::string &fragment, const std::string &where) {
    test::TempDir dir;
    static const std::regex file(R"(File=(/dev/\S+))");
    for (std::sregex_iterator it(gres.begin(), gres.end(), file), end; it != end; ++it) {
        fs::path link = dir.path().string() + (*it)[1].str();
        fs::create_directories(link.parent_path());
        if (!fs::is_symlink(link)) fs::create_symlink("/dev/null", link);
    }
    gres = std::regex_replace(gres, std::regex("File=/dev/"), "File=" + dir.path().string() + "/dev/");
    dir.write("gres.conf", gres);
    // The fragment's lines as they are, around a cluster that has only this node.
    std::string conf = "ClusterName=gpuhost-test\nSlurmctldHost=localhost\n" + fragment +
                       "PartitionName=test Nodes=node1 Default=YES\n";
    dir.write("slurm.conf", conf);

    ProcessOptions o;
    o.merge_stderr = true;
    o.timeout = std::chrono::seconds(60);
    o.env_set = {{"SLURM_CONF", (dir / "slurm.conf").string()}};
    auto s = run_process(test::find_program("slurmd"), {"-G", "-N", "node1"}, o);
    run.slurmd_output = s.output;
    BOOST_TEST(s.exit_code == 0, where << ": slurmd -G: " << s.output << "\nslurm.conf:\n" << conf << "gres.conf:\n" << gres);
    // "error:" for a bad line, "WARNING:" when a gres.conf type matches nothing in slurm.conf.
    BOOST_TEST(!test::contains(s.output, "error"), where << ": slurmd -G: " << s.output);
    BOOST_TEST(!test::contains(s.output, "WARNING"), where << ": slurmd -G: " << s.output);
    for (const auto &line : test::lines_of(s.output))
        if (test::contains(line, "Gres Name=gpu")) run.gres.push_back(line);
}

SlurmRun export_and_parse(const std::string &sysroot) {
    SlurmRun run;
    auto r = test::run_export({"slurm", "--sysroot", sysroot, "--node-name", "node1", "--json"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    run.exported = json::parse(r.output).as_object();
    parse_with_slurmd(run, std::string(run.exported.at("gres_conf").as_string()),
                      std::string(run.exported.at("slurm_conf").as_string()), sysroot);
    return run;
}

// Slurm's own rule for NVML/RSMI names (gpu_common_underscorify_tolower), applied here
// to the name the recording's expected.json gives.
std::string slurm_type(std::string name) {
    for (auto &c : name) c = c == ' ' ? '_' : char(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(slurm, *boost::unit_test::precondition(test::program_installed{"slurmd", "slurmd"}))

BOOST_AUTO_TEST_CASE(eight_gpu_server) {
    auto run = export_and_parse(test::machine("nvidia-multi-gpu-server"));
    std::string type = slurm_type("NVIDIA H100 80GB HBM3");
    BOOST_REQUIRE_EQUAL(run.gres.size(), 8u);
    for (int i = 0; i < 8; ++i) {
        BOOST_TEST(test::contains(run.gres[i], "Type=" + type), run.gres[i]);
        BOOST_TEST(test::contains(run.gres[i], "/dev/nvidia" + std::to_string(i) + " "), run.gres[i]);
    }
    BOOST_TEST(test::contains(std::string(run.exported.at("slurm_conf").as_string()), "NodeName=node1 Gres=gpu:" + type + ":8"));
    BOOST_TEST(run.exported.at("gpus").as_int64() == 8);
}

BOOST_AUTO_TEST_CASE(optimus_laptop_lists_nothing_and_says_why) {
    auto run = export_and_parse(test::machine("laptop-intel-igpu-nvidia-dgpu"));
    BOOST_TEST(run.gres.empty());
    std::string gres(run.exported.at("gres_conf").as_string());
    BOOST_TEST(test::contains(gres, "# cuda:0 NVIDIA GPU [10de:1f97] left out: NVIDIA driver not loaded"), gres);
    BOOST_TEST(test::contains(gres, "# xpu:0 "), gres);
}

BOOST_AUTO_TEST_CASE(amd_machines) {
    // The RX 7900 XTX: one GPU on its render node.
    auto run = export_and_parse(test::machine("amd-rdna3-discrete"));
    BOOST_REQUIRE_EQUAL(run.gres.size(), 1u);
    BOOST_TEST(test::contains(run.gres[0], "Type=" + slurm_type("Radeon RX 7900 XTX")), run.gres[0]);
    BOOST_TEST(test::contains(run.gres[0], "/dev/dri/renderD128"), run.gres[0]);
    // Only the KFD topology: the name gpuhost gives it still parses.
    run = export_and_parse(test::machine("amd-rdna3-kfd-sysfs-only"));
    BOOST_TEST(run.gres.size() == 1u);
    // Unusable GPUs are comments with the reason; Slurm sees none.
    for (const char *m : {"amd-apu", "amd-gfx1031-override", "amd-polaris-gfx803", "container-no-kfd-access"}) {
        run = export_and_parse(test::machine(m));
        BOOST_TEST(run.gres.empty(), m);
        BOOST_TEST(test::contains(std::string(run.exported.at("gres_conf").as_string()), "left out: "), m);
    }
}

BOOST_AUTO_TEST_CASE(names_slurm_conf_cannot_hold_are_made_safe) {
    // Level Zero's name for an A770 has parentheses; Slurm's Gres= parser would not
    // match "intel(r)_arc(tm)..." (slurmd warns and drops the GPU). Two types on one node.
    fleet::FleetView view;
    fleet::ExportDevice arc;
    arc.id = "xpu:0", arc.vendor = "intel", arc.backend = "xpu", arc.type = "discrete", arc.usable = true;
    arc.name = "Intel(R) Arc(TM) A770 Graphics", arc.render_minor = 128;
    fleet::ExportDevice rx = arc;
    rx.id = "rocm:0", rx.vendor = "amd", rx.backend = "rocm", rx.name = "AMD GPU gfx1100 [1002:744c]", rx.render_minor = 129;
    view.devices = {arc, rx};
    auto s = fleet::slurm_export(view, "node1", nullptr);
    BOOST_TEST(s.gpus == 2);
    BOOST_TEST(test::contains(s.gres_conf, "Type=intel_r__arc_tm__a770_graphics File=/dev/dri/renderD128"), s.gres_conf);
    BOOST_TEST(test::contains(s.node_fragment, "Gres=gpu:intel_r__arc_tm__a770_graphics:1,gpu:amd_gpu_gfx1100__1002_744c_:1"),
               s.node_fragment);
    SlurmRun run;
    parse_with_slurmd(run, s.gres_conf, s.node_fragment, "two vendors");
    BOOST_TEST(run.gres.size() == 2u);
}

BOOST_AUTO_TEST_CASE(cores_from_the_numa_node) {
    // The 8-GPU recording plus the sysfs files a live machine has: GPU 0 on node 1,
    // whose CPUs 8-15 have SMT siblings 24-31 (left out: Slurm counts cores).
    test::TempDir root;
    fs::copy(test::machine("nvidia-multi-gpu-server"), root.path(), fs::copy_options::recursive);
    root.write("sys/bus/pci/devices/0000:18:00.0/numa_node", "1\n");
    root.write("sys/devices/system/node/node1/cpulist", "8-15,24-31\n");
    for (int c = 8; c <= 15; ++c) {
        std::string siblings = std::to_string(c) + "," + std::to_string(c + 16) + "\n";
        root.write("sys/devices/system/cpu/cpu" + std::to_string(c) + "/topology/thread_siblings_list", siblings);
        root.write("sys/devices/system/cpu/cpu" + std::to_string(c + 16) + "/topology/thread_siblings_list", siblings);
    }
    auto r = test::run_export({"slurm", "--sysroot", root.path().string()});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(test::contains(r.output, "File=/dev/nvidia0 Cores=8-15\n"), r.output);
    BOOST_TEST(test::contains(r.output, "File=/dev/nvidia1\n"), "no NUMA file, no Cores=");
}

BOOST_AUTO_TEST_SUITE_END()
