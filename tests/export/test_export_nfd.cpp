// `gpuhost export nfd` on every recorded machine: each line obeys the label
// rules NFD enforces (Kubernetes label syntax), the expiry directive is there and
// ahead, values match the recording and `select`, and the file is written the
// way NFD expects (dot-file, rename) without harming an existing one.
#include "export/export_support.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include "export/label_text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <ctime>
#include <regex>

using namespace gpuhost;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// Kubernetes "Labels and Selectors", Syntax and character set: prefix a DNS
// subdomain (<= 253), name and value <= 63 of [A-Za-z0-9._-] with alphanumeric
// ends (value may be empty). Written here independently of the exporter's code.
void check_feature_file(const std::string &text, const std::string &where, long long ttl) {
    static const std::regex label(
        R"(^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)/([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)=(([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?)$)");
    static const std::regex expiry(R"(^# \+expiry-time=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$)");
    BOOST_TEST(text.size() < 64 * 1024, where << ": NFD ignores feature files over 64 kB");
    int expiries = 0, labels = 0;
    for (const auto &line : test::lines_of(text)) {
        std::smatch m;
        if (std::regex_match(line, m, expiry)) {
            BOOST_TEST(labels == 0, where << ": the expiry directive must come before the labels it covers");
            ++expiries;
            std::tm tm{};
            BOOST_REQUIRE(strptime(m[1].str().c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm));
            long long at = timegm(&tm), now = std::time(nullptr);
            BOOST_TEST(at > now, where << ": expiry " << m[1] << " is not ahead");
            BOOST_TEST(at <= now + ttl + 60, where << ": expiry " << m[1] << " is further than the ttl");
            continue;
        }
        if (line.empty() || line[0] == '#') continue;
        ++labels;
        BOOST_TEST_CONTEXT(where << ": " << line) {
            BOOST_REQUIRE(std::regex_match(line, m, label));
            BOOST_TEST(m[1].length() <= 253);
            BOOST_TEST(m[5].length() <= 63);
            BOOST_TEST(m[7].length() <= 63);
        }
    }
    BOOST_TEST(expiries == 1, where);
}

std::map<std::string, std::string> labels_of(const std::string &text) {
    std::map<std::string, std::string> out;
    for (const auto &line : test::lines_of(text))
        if (!line.empty() && line[0] != '#') out[line.substr(0, line.find('='))] = line.substr(line.find('=') + 1);
    return out;
}

// The best build `select` shows for a device: its first accelerator tag.
std::string select_best_build(const std::string &sysroot, const std::string &device) {
    auto r = test::run_gpuhost({"select", "--json", "--sysroot", sysroot}, test::quiet_env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "select: " << r.error_output);
    json::value doc = json::parse(r.output);  // kept: the loop below refers into it
    for (const auto &c : doc.at("candidates").as_array())
        if (c.at("device").as_string() == device)
            return std::string(c.at("install").at("accelerators").at(0).at("tag").as_string());
    return "(no candidate " + device + ")";
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_recorded_machine_gets_valid_labels) {
    auto machines = test::recorded_machines();
    machines.push_back(test::h200_recording());
    BOOST_REQUIRE(machines.size() >= 15);
    for (const auto &m : machines) {
        auto r = test::run_export({"nfd", "--sysroot", m});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, m << ": " << r.error_output);
        check_feature_file(r.output, fs::path(m).filename().string(), 3600);
    }
    // A long product name and a short ttl still fit.
    auto r = test::run_export({"nfd", "--sysroot", test::machine("laptop-intel-igpu-nvidia-dgpu"), "--ttl", "120"});
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    check_feature_file(r.output, "laptop, ttl 120", 120);
}

BOOST_AUTO_TEST_CASE(labels_say_what_the_recording_says) {
    std::string server = test::machine("nvidia-multi-gpu-server");
    auto l = labels_of(test::run_export({"nfd", "--sysroot", server}).output);
    // expected.json / SOURCE.md of the recording: 8x H100 80GB HBM3, 81559 MiB, driver 565.57.01, CUDA 12.7, cc 9.0.
    BOOST_TEST(l["gpuhost.io/accelerators.count"] == "8");
    BOOST_TEST(l["gpuhost.io/nvidia.count"] == "8");
    BOOST_TEST(l["gpuhost.io/nvidia.usable"] == "8");
    BOOST_TEST(l["gpuhost.io/nvidia.product"] == "NVIDIA-H100-80GB-HBM3");
    BOOST_TEST(l["gpuhost.io/nvidia.memory-mib"] == "81559");
    BOOST_TEST(l["gpuhost.io/nvidia.driver"] == "565.57.01");
    BOOST_TEST(l["gpuhost.io/nvidia.cuda"] == "12.7");
    BOOST_TEST(l["gpuhost.io/nvidia.arch"] == "9.0");
    BOOST_TEST(l["gpuhost.io/cuda-7.usable"] == "true");
    BOOST_TEST(l["gpuhost.io/cuda-7.best-build"] == select_best_build(server, "cuda:7"));
    BOOST_TEST(l["gpuhost.io/nvidia.best-build"] == select_best_build(server, "cuda:0"));

    auto amd = labels_of(test::run_export({"nfd", "--sysroot", test::machine("amd-rdna3-discrete")}).output);
    BOOST_TEST(amd["gpuhost.io/amd.product"] == "Radeon-RX-7900-XTX");
    BOOST_TEST(amd["gpuhost.io/amd.arch"] == "gfx1100");
    BOOST_TEST(amd["gpuhost.io/rocm-0.best-build"] == select_best_build(test::machine("amd-rdna3-discrete"), "rocm:0"));

    // The Optimus laptop: both GPUs are listed, neither usable.
    auto laptop = labels_of(test::run_export({"nfd", "--sysroot", test::machine("laptop-intel-igpu-nvidia-dgpu")}).output);
    BOOST_TEST(laptop["gpuhost.io/accelerators.count"] == "2");
    BOOST_TEST(laptop["gpuhost.io/accelerators.usable"] == "0");
    BOOST_TEST(laptop["gpuhost.io/cuda-0.usable"] == "false");

    auto custom = labels_of(test::run_export({"nfd", "--sysroot", server, "--prefix", "gpu.example.org"}).output);
    BOOST_TEST(custom["gpu.example.org/nvidia.count"] == "8");
}

BOOST_AUTO_TEST_CASE(written_through_a_dot_file_and_an_old_file_survives_failures) {
    test::TempDir dir;
    fs::path out = dir / "features.d" / "gpuhost";
    std::string server = test::machine("nvidia-multi-gpu-server");
    auto r = test::run_export({"nfd", "--sysroot", server, "--output", out.string()});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    std::string written = test::read(out);
    check_feature_file(written, "written file", 3600);
    for (const auto &e : fs::directory_iterator(out.parent_path()))
        BOOST_TEST(e.path().filename() == "gpuhost", "left behind: " << e.path());

    // Each failure below happens after the old file was there; it must stay as it was.
    r = test::run_export({"nfd", "--sysroot", server, "--output", out.string(), "--prefix", "Not_A_Domain"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(test::contains(r.error_output, "--prefix"), r.error_output);
    dir.write("broken.json", "{\"devices\": [");
    r = test::run_export({"nfd", "--inventory", (dir / "broken.json").string(), "--output", out.string()});
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(test::contains(r.error_output, "broken.json"), r.error_output);
    BOOST_TEST(test::read(out) == written);
}

BOOST_AUTO_TEST_CASE(free_text_becomes_a_valid_value) {
    static const std::regex value(R"(^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$)");
    std::string long_name(62, 'x');
    long_name += " (R) ";
    long_name += std::string(10, 'y');
    for (const std::string raw : {std::string("--Intel(R) Arc(TM)--"), long_name, std::string("..."),
                                  std::string("AMD GPU gfx1100 [1002:744c]"), std::string("12.7"), std::string("")}) {
        std::string v = fleet::label_value(raw);
        BOOST_TEST(std::regex_match(v, value), "\"" << raw << "\" -> \"" << v << "\"");
        BOOST_TEST(v.size() <= 63u, v);
    }
    BOOST_TEST(fleet::label_value("--Intel(R) Arc(TM)--") == "Intel-R-Arc-TM");
    BOOST_TEST(fleet::label_value(long_name) == std::string(62, 'x'), "cut at 63, then the trailing dash dropped");
    BOOST_TEST(fleet::is_dns_subdomain("gpuhost.io"));
    BOOST_TEST(!fleet::is_dns_subdomain("GPUhost.io"));
    BOOST_TEST(!fleet::is_dns_subdomain("gpuhost..io"));
    BOOST_TEST(!fleet::is_dns_subdomain("-gpuhost.io"));
}
