// `gpuhost export prometheus`: Prometheus' own checker (promtool check metrics)
// accepts the file for recorded machines, with a verified environment and with
// real bench figures from this machine's CPU; no sample carries a timestamp.
#include "export/export_support.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include "env/env_state.hpp"

#include <boost/test/unit_test.hpp>
#include <regex>

using namespace gpuhost;
namespace fs = std::filesystem;

namespace {

// promtool reads stdin; its silence and exit 0 mean no parse error and no lint problem.
void check_with_promtool(const fs::path &file, const std::string &where) {
    auto r = run_process("bash", {"-c", "\"$0\" check metrics < \"$1\"", test::find_program("promtool"), file.string()},
                         ProcessOptions{.merge_stderr = true});
    BOOST_TEST(r.exit_code == 0, where << ": promtool: " << r.output);
    BOOST_TEST(r.output.empty(), where << ": promtool: " << r.output);
}

// Textfile-collector rule: `name{labels} value`, never a third field (a timestamp).
void check_no_timestamps(const std::string &text, const std::string &where) {
    static const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eE]+$)");
    for (const auto &line : test::lines_of(text))
        if (!line.empty() && line[0] != '#') BOOST_TEST(std::regex_match(line, sample), where << ": " << line);
}

std::string export_to(const fs::path &file, std::vector<std::string> args,
                      std::map<std::string, std::string> env = test::quiet_env()) {
    args.insert(args.begin(), "prometheus");
    args.insert(args.end(), {"--output", file.string()});
    auto r = test::run_export(args, std::move(env));
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    return test::read(file);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(prometheus, *boost::unit_test::precondition(test::program_installed{"promtool", "prometheus"}))

BOOST_AUTO_TEST_CASE(recorded_machines_pass_promtool) {
    test::TempDir dir;
    for (const auto &m : {test::machine("nvidia-multi-gpu-server"), test::machine("laptop-intel-igpu-nvidia-dgpu"),
                          test::machine("amd-rdna3-discrete"), test::machine("container-no-kfd-access"),
                          test::machine("intel-arc"), test::h200_recording()}) {
        fs::path file = dir / (fs::path(m).filename().string() + ".prom");
        std::string text = export_to(file, {"--sysroot", m});
        check_with_promtool(file, m);
        check_no_timestamps(text, m);
    }
    std::string server = test::read(dir / "nvidia-multi-gpu-server.prom");
    // 81559 MiB as the driver reports it (the recording's expected.json), in bytes.
    BOOST_TEST(test::contains(server, "gpuhost_device_memory_bytes{device=\"cuda:7\"} " + std::to_string(81559LL * 1024 * 1024)));
    BOOST_TEST(test::contains(server, "gpuhost_device_usable{device=\"cuda:0\"} 1"));
    std::string laptop = test::read(dir / "laptop-intel-igpu-nvidia-dgpu.prom");
    BOOST_TEST(test::contains(laptop, "gpuhost_device_usable{device=\"cuda:0\"} 0"));
    BOOST_TEST(test::contains(laptop, "reason=\"NVIDIA driver not loaded"), laptop);
}

BOOST_AUTO_TEST_CASE(last_verified_comes_from_the_environment_state) {
    test::TempDir dir;
    fs::path envs = dir / "envs";
    env::EnvState s;
    s.profile = "vector_search";
    s.device_id = "cuda:3";
    s.device_name = "NVIDIA H100 80GB HBM3";
    s.verification = boost::json::object{{"status", "passed"}, {"at", "2026-11-30T12:00:00Z"}};
    env::save_state(envs / "vector_search", s);
    s.device_id = "cuda:4";
    s.verification = boost::json::object{{"status", "failed"}, {"at", "2026-11-30T13:00:00Z"}};
    env::save_state(envs / "nlp", s);

    fs::path file = dir / "gpuhost.prom";
    std::string text =
        export_to(file, {"--sysroot", test::machine("nvidia-multi-gpu-server"), "--envs-dir", envs.string()});
    check_with_promtool(file, "verified");
    // 2026-11-30T12:00:00Z as Unix time.
    BOOST_TEST(test::contains(text, "gpuhost_device_last_verified_timestamp_seconds{device=\"cuda:3\"} 1796040000"), text);
    BOOST_TEST(!test::contains(text, "gpuhost_device_last_verified_timestamp_seconds{device=\"cuda:4\"}"),
               "a failed verification is no proof");
}

BOOST_AUTO_TEST_CASE(bench_figures_from_a_real_bench_run) {
    test::TempDir dir;
    auto bench = test::run_gpuhost({"bench", "--json", "--device", "cpu:0", "--size", "65536", "--repeats", "3"},
                                   test::quiet_env());
    BOOST_REQUIRE_MESSAGE(bench.exit_code == 0, bench.error_output);
    dir.write("bench.json", bench.output);
    fs::path file = dir / "gpuhost.prom";
    std::string text = export_to(file, {"--bench", (dir / "bench.json").string()});
    check_with_promtool(file, "bench");
    check_no_timestamps(text, "bench");
    BOOST_TEST(test::contains(text, "gpuhost_device_bench_bytes_per_second{device=\"cpu:0\",kernel=\"copy\"} "), text);
    BOOST_TEST(test::contains(text, "gpuhost_device_bench_flops_per_second{device=\"cpu:0\",kernel=\"sgemm\"} "), text);

    dir.write("not-bench.json", "{\"devices\": []}");
    auto r = test::run_export({"prometheus", "--bench", (dir / "not-bench.json").string()});
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(test::contains(r.error_output, "not-bench.json"), r.error_output);
}

BOOST_AUTO_TEST_SUITE_END()
