// The backend policy through `gpuhost select` and `gpuhost config`, against
// recorded devices (the fixture plugin) and the real CPU: every policy, and the
// precedence of user file, project file, environment and flag.
#include "support/plugin_dir.hpp"
#include "support/text.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <fstream>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using test::TempDir;

using gpuhost::test::contains;
using gpuhost::test::read;

namespace {

std::string gpu(const std::string &backend, const std::string &name, int bus, int gib, bool usable,
                const std::string &tag, const std::string &extra = "") {
    char bus_id[16];
    std::snprintf(bus_id, sizeof bus_id, "0000:%02x:00.0", bus);
    std::string d = R"({"vendor":"other","backend":")" + backend + R"(","name":")" + name +
                    R"(","type":"discrete","pci":{"bus_id":")" + bus_id + R"("},"uuid":"GPU-)" + name +
                    R"(","memory":{"total_bytes":)" + std::to_string(std::int64_t(gib) << 30) +
                    R"(},"signals":["test"],"features":["fp16"],"usable":)" + (usable ? "true" : "false") +
                    R"(,"details":{"build_tag":")" + tag + "\"}" + extra + "}";
    return d;
}

// A machine with recorded devices beside the real CPU, and private settings.
struct Machine {
    TempDir plugins, xdg, project;
    explicit Machine(const std::vector<std::string> &devices) {
        test::add_test_plugin(plugins, "test_fixture", "fixture");
        // The backends a recorded machine's vendors would declare, xpu among them,
        // so a forced backend with no device is "absent" (exit 4), not unknown (exit 2).
        plugins.write("fixture.gpuhost-plugin.json",
                      R"({"manifest":1,"name":"fixture","vendor":"other","version":"1.0","library":"libtest_fixture.so",)"
                      R"("abi":{"min":1,"max":1},"platforms":["linux"],"backends":["cuda","rocm","xpu","mps","vulkan","opencl"]})");
        std::string list;
        for (const auto &d : devices) list += (list.empty() ? "" : ",") + d;
        plugins.write("devices.json", R"({"schema":1,"plugin":"fixture","status":"present","devices":[)" + list + "]}");
    }
    std::map<std::string, std::string> env(std::map<std::string, std::string> more = {}) const {
        // Only the recorded devices and the CPU (run_gpuhost keeps this machine's own GPUs out).
        more.emplace("GPUHOST_PLUGIN_PATH", plugins.path().string());
        more.emplace("GPUHOST_TEST_FIXTURE_DEVICES", (plugins / "devices.json").string());
        more.emplace("XDG_CACHE_HOME", (xdg / "cache").string());
        more.emplace("XDG_STATE_HOME", (xdg / "state").string());
        more.emplace("XDG_CONFIG_HOME", (xdg / "config").string());
        return more;
    }
    ProcessResult run(std::vector<std::string> args, std::map<std::string, std::string> more = {}) const {
        return test::run_gpuhost(args, env(more), project.path().string());
    }
    // select --json: the parsed answer and the exit code.
    std::pair<json::object, int> select(std::vector<std::string> args = {},
                                        std::map<std::string, std::string> more = {}) const {
        args.insert(args.begin(), {"select", "--json"});
        auto r = run(args, more);
        BOOST_REQUIRE_MESSAGE(r.started && !r.timed_out && r.signal == 0, r.describe());
        return {json::parse(r.output).as_object(), r.exit_code};
    }
    std::string chosen(std::vector<std::string> args = {}, std::map<std::string, std::string> more = {}) const {
        auto [o, code] = select(args, more);
        BOOST_TEST(code == (o.at("chosen").is_null() ? 4 : 0));
        return o.at("chosen").is_null() ? "none" : std::string(o.at("chosen").as_string());
    }
};

std::string why(const json::object &o) {
    std::string all;
    for (const auto &w : o.at("why").as_array()) all += std::string(w.as_string()) + "\n";
    return all;
}

const std::vector<std::string> kDevices = {
    gpu("cuda", "big", 1, 24, true, "cu121"),
    gpu("cuda", "small", 2, 8, true, "cu121"),
    gpu("rocm", "radeon", 3, 16, false, "rocm6.0", R"(,"reason":"/dev/kfd not accessible: add the user to the render group")"),
};

}  // namespace

BOOST_AUTO_TEST_CASE(auto_mode_picks_the_highest_score_and_explains_each) {
    Machine m(kDevices);
    auto [o, code] = m.select({"--workload-memory", "12000"});
    BOOST_TEST(code == 0);
    BOOST_TEST(o.at("chosen") == "cuda:0");
    const auto &ranked = o.at("candidates").as_array();
    BOOST_REQUIRE_EQUAL(ranked.size(), 4u);  // two cuda, one rocm, the CPU
    BOOST_TEST(ranked[0].at("device") == "cuda:0");
    std::map<std::string, json::object> by_id;
    for (const auto &c : ranked) by_id[std::string(c.at("device").as_string())] = c.as_object();
    BOOST_TEST(by_id["cuda:1"].at("score") == 0);  // 8 GiB for 12000 MiB
    BOOST_TEST(contains(json::serialize(by_id["cuda:1"].at("reasons")), "has 8192 MiB, workload needs 12000 MiB (11400 MiB counts: within 5%)"));
    BOOST_TEST(by_id["rocm:0"].at("score") == 0);
    BOOST_TEST(contains(json::serialize(by_id["rocm:0"].at("reasons")), "/dev/kfd not accessible"));
    BOOST_TEST(by_id["cpu:0"].at("score").as_int64() > 0);
    BOOST_TEST(contains(why(o), "highest score: cuda:0"));
    // No stated need: more accelerator memory ranks higher.
    auto [n, nc] = m.select();
    BOOST_TEST(n.at("candidates").at(0).at("device") == "cuda:0");
    BOOST_TEST(contains(json::serialize(n.at("candidates").at(0).at("reasons")), "memory 24576 MiB: +6"));
    BOOST_TEST(contains(json::serialize(n.at("candidates").at(1).at("reasons")), "memory 8192 MiB: +2"));
    // Precision: fp16 is reported by the GPUs, int8 is not.
    auto [p, pc] = m.select({"--precision", "int8"});
    BOOST_TEST(contains(json::serialize(p.at("candidates").at(0).at("reasons")), "int8 not reported: -10"));
}

BOOST_AUTO_TEST_CASE(a_device_without_a_gpu_build_ranks_below_one_with) {
    Machine m({gpu("cuda", "nobuild", 1, 24, true, "cpu"), gpu("cuda", "withbuild", 2, 8, true, "cu121")});
    auto [o, code] = m.select();
    BOOST_TEST(o.at("chosen") == "cuda:1");
    BOOST_TEST(contains(json::serialize(o.at("candidates")), "no GPU build of the ML frameworks for this device: -40"));
}

BOOST_AUTO_TEST_CASE(equal_scores_follow_backend_priority) {
    Machine m({gpu("vulkan", "twin-b", 2, 8, true, "vulkan"), gpu("cuda", "twin-a", 1, 8, true, "cu121")});
    auto [o, code] = m.select();
    BOOST_TEST(o.at("chosen") == "cuda:0");
    BOOST_TEST(contains(why(o), "tie with vulkan:0 broken by backend_priority (cuda before vulkan)"), why(o));
    BOOST_TEST(m.chosen({}, {{"GPUHOST_BACKEND_PRIORITY", "vulkan,cuda"}}) == "vulkan:0");
}

BOOST_AUTO_TEST_CASE(preferred_backend_falls_back_with_the_reason) {
    Machine m(kDevices);
    BOOST_TEST(m.chosen({"--backend", "cpu"}) == "cpu:0");
    auto [o, code] = m.select({"--backend", "rocm"});
    BOOST_TEST(code == 0);
    BOOST_TEST(o.at("chosen") == "cuda:0");
    BOOST_TEST(contains(why(o), "preferred backend rocm has no usable device (rocm:0: /dev/kfd not accessible"), why(o));
    BOOST_TEST(contains(why(o), "falling back"));
    auto logged = m.run({"select", "--backend", "rocm"});
    BOOST_TEST(contains(logged.error_output, "gpuhost: warning: preferred backend rocm has no usable device"));
    auto [x, xc] = m.select({"--backend", "xpu"});
    BOOST_TEST(x.at("chosen") == "cuda:0");
    BOOST_TEST(contains(why(x), "preferred backend xpu has no usable device (plugins:"), why(x));
}

BOOST_AUTO_TEST_CASE(a_forced_backend_is_used_or_the_command_fails_with_why) {
    Machine m(kDevices);
    BOOST_TEST(m.chosen({"--force-backend", "cpu"}) == "cpu:0");
    BOOST_TEST(m.chosen({"--force-backend", "cuda"}) == "cuda:0");

    auto present = m.run({"select", "--force-backend", "rocm"});
    BOOST_TEST(present.exit_code == 4);
    BOOST_TEST(contains(present.error_output,
                        "force_backend rocm: no usable rocm device (rocm:0: /dev/kfd not accessible: add the user to the "
                        "render group)"),
               present.error_output);

    auto absent = m.run({"select", "--json", "--force-backend", "xpu"});
    BOOST_TEST(absent.exit_code == 4);
    auto o = json::parse(absent.output).as_object();
    BOOST_TEST(o.at("chosen").is_null());
    std::string error(o.at("error").as_string());
    BOOST_TEST(contains(error, "force_backend xpu: no xpu device was detected; plugins: cpu present;"), error);
    BOOST_TEST(contains(error, "fixture present"), error);
}

BOOST_AUTO_TEST_CASE(a_device_is_named_by_index_id_uuid_or_bus_id) {
    Machine m(kDevices);
    BOOST_TEST(m.chosen({"--device", "cuda:1"}) == "cuda:1");
    BOOST_TEST(m.chosen({"--device", "GPU-small"}) == "cuda:1");
    BOOST_TEST(m.chosen({"--device", "02:00.0"}) == "cuda:1");
    BOOST_TEST(m.chosen({"--device", "1", "--force-backend", "cuda"}) == "cuda:1");
    BOOST_TEST(m.chosen({"--device", "1", "--backend", "cuda"}) == "cuda:1");
    // Without a backend, an index counts in detect order: cpu:0 (beside gpuhost), cuda:0, cuda:1, rocm:0.
    BOOST_TEST(m.chosen({"--device", "2"}) == "cuda:1");
    BOOST_TEST(m.chosen({"--device", "0"}) == "cpu:0");
    BOOST_TEST(m.chosen({}, {{"GPUHOST_DEVICE", "cuda:1"}}) == "cuda:1");

    auto [bad, code] = m.select({"--device", "9"});
    BOOST_TEST(code == 4);
    BOOST_TEST(contains(std::string(bad.at("error").as_string()), "device \"9\" matches no detected device"));
    auto [unusable, uc] = m.select({"--device", "rocm:0"});
    BOOST_TEST(uc == 4);
    BOOST_TEST(contains(std::string(unusable.at("error").as_string()), "device rocm:0 is not usable: /dev/kfd"));
    auto [wrong, wc] = m.select({"--device", "cuda:1", "--force-backend", "cpu"});
    BOOST_TEST(wc == 4);
    BOOST_TEST(contains(std::string(wrong.at("error").as_string()), "of backend cpu"));
}

BOOST_AUTO_TEST_CASE(flag_beats_environment_beats_project_beats_user_file) {
    Machine m(kDevices);
    auto set = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "config");
        auto r = m.run(args);
        BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + " " + r.error_output);
    };
    BOOST_TEST(m.chosen() == "cuda:0");
    set({"set", "preferred_backend", "cpu"});  // user file
    BOOST_TEST(fs::exists(m.xdg / "config/gpuhost/gpuhost.json"));
    BOOST_TEST(m.chosen() == "cpu:0");
    // A project file in a parent of the current folder wins over the user file.
    m.project.write("gpuhost.json", R"({"preferred_backend": "cuda", "device": "1"})");
    fs::create_directories(m.project / "src/deep");
    auto in_subdir = test::run_gpuhost({"select", "--json"}, m.env(), (m.project / "src/deep").string());
    BOOST_TEST(json::parse(in_subdir.output).at("chosen") == "cuda:1");
    BOOST_TEST(m.chosen() == "cuda:1");
    // The environment wins over the project file, a flag over the environment.
    BOOST_TEST(m.chosen({}, {{"GPUHOST_PREFERRED_BACKEND", "cpu"}, {"GPUHOST_DEVICE", "0"}}) == "cpu:0");
    BOOST_TEST(m.chosen({"--backend", "cuda", "--device", "0"}, {{"GPUHOST_PREFERRED_BACKEND", "cpu"}}) == "cuda:0");

    auto show = m.run({"config", "show", "--json"}, {{"GPUHOST_DEVICE", "cuda:0"}});
    auto o = json::parse(show.output).as_object();
    BOOST_TEST(o.at("preferred_backend").at("origin") == (m.project / "gpuhost.json").string().c_str());
    BOOST_TEST(o.at("device").at("origin") == "GPUHOST_DEVICE");
    BOOST_TEST(o.at("force_backend").at("origin") == "default");
    set({"set", "--project", "force_backend", "cpu"});
    BOOST_TEST(json::parse(read(m.project / "gpuhost.json")).at("force_backend") == "cpu");
    auto [forced, code] = m.select();  // the project's device "1" now means cpu:1, which does not exist
    BOOST_TEST(code == 4);
    BOOST_TEST(contains(std::string(forced.at("error").as_string()), "device \"1\" matches no detected device of backend cpu"));
    BOOST_TEST(m.chosen({"--device", "0"}) == "cpu:0");
}

BOOST_AUTO_TEST_CASE(config_edits_the_user_file_and_rejects_bad_keys_and_types) {
    Machine m(kDevices);
    fs::path user = m.xdg / "config/gpuhost/gpuhost.json";
    BOOST_TEST(m.run({"config", "set", "backend_priority", "rocm, cuda,cpu"}).ok());
    BOOST_TEST(m.run({"config", "set", "probe_timeout_ms", "2500"}).ok());
    auto got = m.run({"config", "get", "backend_priority", "--json"});
    BOOST_TEST(json::parse(got.output).at("value") == json::parse(R"(["rocm","cuda","cpu"])"));
    BOOST_TEST(m.run({"config", "get", "probe_timeout_ms"}).output == "2500\n");
    BOOST_TEST(json::parse(read(user)).at("probe_timeout_ms") == 2500);
    BOOST_TEST(m.run({"config", "unset", "probe_timeout_ms"}).ok());
    BOOST_TEST(m.run({"config", "get", "probe_timeout_ms"}).output == "5000\n");
    BOOST_TEST(!json::parse(read(user)).as_object().contains("probe_timeout_ms"));

    auto unknown = m.run({"config", "set", "colour", "blue"});
    BOOST_TEST(unknown.exit_code == 2);
    BOOST_TEST(contains(unknown.error_output, "unknown key \"colour\""));
    auto not_number = m.run({"config", "set", "cache_ttl_s", "soon"});
    BOOST_TEST(not_number.exit_code == 2);
    BOOST_TEST(contains(not_number.error_output, "cache_ttl_s must be an integer, not \"soon\""));
    BOOST_TEST(m.run({"config", "set", "preferred_backend", "CUDA!"}).exit_code == 2);

    // A hand-edited file with a wrong type or an unknown key: named, exit 3, everywhere.
    std::ofstream(user) << R"({"backend_priority": "cuda", "preferred_backend": "auto"})";
    for (std::vector<std::string> args : {std::vector<std::string>{"select"}, {"config", "show"}, {"config", "set", "device", "0"}}) {
        auto r = m.run(args);
        BOOST_TEST(r.exit_code == 3);
        BOOST_TEST(contains(r.error_output, user.string() + ": key \"backend_priority\" must be a list of strings"),
                   r.error_output);
    }
    std::ofstream(user) << R"({"prefered_backend": "cuda"})";
    auto typo = m.run({"select"});
    BOOST_TEST(typo.exit_code == 3);
    BOOST_TEST(contains(typo.error_output, user.string() + ": unknown key \"prefered_backend\""));
    fs::remove(user);

    auto bad_env = m.run({"select"}, {{"GPUHOST_PROBE_TIMEOUT_MS", "-4"}});
    BOOST_TEST(bad_env.exit_code == 3);
    BOOST_TEST(contains(bad_env.error_output, "GPUHOST_PROBE_TIMEOUT_MS: probe_timeout_ms must be a number of milliseconds from 1"),
               bad_env.error_output);
}

// A gpuhost.json another user could have written (a shared folder such as /tmp)
// is not obeyed: it could turn on auto_fix or move envs_dir. It is named in a warning.
BOOST_AUTO_TEST_CASE(project_settings_others_can_write_are_ignored) {
    Machine m(kDevices);
    m.project.write("gpuhost.json", R"({"force_backend": "xpu"})");
    BOOST_TEST(m.chosen() == "none");  // obeyed while only its owner can write it
    fs::permissions(m.project / "gpuhost.json", fs::perms::others_write, fs::perm_options::add);
    auto r = m.run({"select", "--json"});
    BOOST_TEST(r.exit_code == 0, r.error_output);
    BOOST_TEST(contains(r.error_output, "project settings " + (m.project / "gpuhost.json").string() + " ignored"),
               r.error_output);
    BOOST_TEST(contains(r.error_output, "writable by others"), r.error_output);
}

BOOST_AUTO_TEST_CASE(flag_values_outside_the_known_lists_are_usage_errors) {
    Machine m(kDevices);
    for (const auto &args : std::vector<std::vector<std::string>>{{"select", "--precision", "fp64"},
                                                                 {"select", "--force-backend", "nosuch"},
                                                                 {"select", "--backend", "warp"}}) {
        auto r = m.run(args);
        BOOST_TEST(r.exit_code == 2, args[1] << ": " << r.error_output);
        BOOST_TEST(contains(r.error_output, "\"" + args[2] + "\" is not"), r.error_output);
    }
    BOOST_TEST(m.run({"select", "--backend", "auto"}).exit_code == 0);
}
