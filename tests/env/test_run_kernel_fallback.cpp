// `gpuhost run`'s kernel check on a device whose own plugin has no kernels. A
// plain detection skips the Vulkan and OpenCL probes (the vendor plugins claimed
// every GPU), so the check detects again with them and runs through the Vulkan
// view of the same device, as it did when the probes always ran.
#include "env/env_fixture.hpp"
#include "support/live_machine.hpp"
#include "support/plugin_dir.hpp"

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

// llvmpipe's Vulkan UUID on this machine, "" when there is no llvmpipe.
std::string llvmpipe_uuid(const TempDir &home, const std::map<std::string, std::string> &vars) {
    auto r = run_cli({"detect", "--all", "--json"}, home, vars);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    json::value inventory = json::parse(r.output);
    for (const auto &d : inventory.at("devices").as_array()) {
        const auto &o = d.as_object();
        auto *details = o.if_contains("details");
        if (o.at("plugin") == "vulkan" && details && details->as_object().if_contains("driver_name") &&
            details->at("driver_name") == "llvmpipe" && o.if_contains("uuid"))
            return str(o.at("uuid"));
    }
    return "";
}

}  // namespace

// Live: llvmpipe is the device under test, so the vulkan probe takes part (the
// harness keeps the other real plugins off this machine's devices).
BOOST_AUTO_TEST_CASE(the_kernel_check_detects_again_with_the_probes_for_a_device_without_kernels,
                     *test::needs(test::kLlvmpipe)) {
    TempDir home, work, plugins;
    std::map<std::string, std::string> vars = {{"XDG_CACHE_HOME", (home / "cache").string()},
                                               {"XDG_STATE_HOME", (home / "state").string()},
                                               test::only_real_plugins({"cpu", "vulkan"})};
    for (const auto &[name, value] : test::machine_device_variables()) vars[name] = value;
    std::string uuid = llvmpipe_uuid(home, vars);
    BOOST_REQUIRE_MESSAGE(!uuid.empty(), "llvmpipe is on this machine (the precondition said so) but detect --all lists none");
    // A vendor plugin without kernels reports a device with llvmpipe's UUID: the
    // two views merge into xpu:0, and only the vulkan probe can compute on it.
    add_test_plugin(plugins, "test_fixture", "fixture");
    plugins.write("devices.json",
                  R"({"schema":1,"plugin":"fixture","status":"present","devices":[{"vendor":"other","backend":"xpu",)"
                  R"("name":"llvmpipe through a vendor plugin","type":"discrete","uuid":")" + uuid +
                      R"(","memory":{"total_bytes":1073741824},"signals":["test"],"usable":true}]})");
    vars["GPUHOST_PLUGIN_PATH"] = plugins.path().string();
    vars["GPUHOST_TEST_FIXTURE_DEVICES"] = (plugins / "devices.json").string();

    auto plain = run_cli({"detect", "--json"}, home, vars);
    BOOST_REQUIRE_MESSAGE(plain.exit_code == 0, plain.error_output);
    BOOST_TEST(json::parse(plain.output).at("probes").at("ran") == false);  // what run's first detection sees

    fs::path env = work / "env";
    // Nothing to install: the kernel check is under test, not pip.
    fs::path plan = write_plan(work, make_plan("http://127.0.0.1:9/simple", {}, "xpu", "cpu"));
    auto r = run_cli({"run", "--plan", plan.string(), "--env", env.string(), "--installer", "pip", "--json"}, home, vars);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto kernel = state_of(env).at("verification").at("kernel").as_object();
    BOOST_TEST(str(kernel.at("status")) == "passed", json::serialize(kernel));
    for (const auto &k : kernel.at("details").at("kernels").as_array()) {
        BOOST_TEST(str(k.at("plugin")) == "vulkan");
        auto *note = k.as_object().if_contains("note");
        BOOST_TEST((note && str(*note).find("ran through the vulkan probe instead") != std::string::npos),
                   json::serialize(k));
    }
}
