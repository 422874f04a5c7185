// When `gpuhost detect` runs the Vulkan and OpenCL probes, seen through the
// binary on the recorded H200 server: skipped when the cuda plugin claimed the
// GPU, run on request (--all, config `probes`), and run by themselves when no
// vendor plugin claims a GPU, which is then still found through OpenCL.
#include "support/run_gpuhost.hpp"
#include "support/text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using gpuhost::test::contains;
using gpuhost::test::read;

namespace {

const fs::path kH200 = fs::path(GPUHOST_FIXTURES) / "machines" / "nvidia-h200";

json::object detect(std::vector<std::string> extra = {}, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args = {"detect", "--json", "--sysroot", kH200.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = test::run_gpuhost(args, std::move(env));
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output);
    return json::parse(r.output).as_object();
}

std::string text(const json::value &o, const char *key) {
    auto *v = o.as_object().if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string status_of(const json::object &inv, const std::string &plugin) {
    for (const auto &p : inv.at("plugins").as_array())
        if (text(p, "plugin") == plugin) return text(p, "status");
    return "not listed";
}

const json::value *device(const json::object &inv, const std::string &id) {
    for (const auto &d : inv.at("devices").as_array())
        if (text(d, "id") == id) return &d;
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_gpu_its_vendor_plugin_claimed_skips_the_probes) {
    auto inv = detect();
    BOOST_TEST(inv.at("probes").at("ran") == false);
    BOOST_TEST(text(inv.at("probes"), "request") == "auto");
    BOOST_TEST(text(inv.at("probes"), "why") == "the vendor plugins claimed every GPU-class PCI device (1)");
    BOOST_TEST(status_of(inv, "vulkan") == "skipped");
    BOOST_TEST(status_of(inv, "opencl") == "skipped");
    BOOST_TEST(inv.at("devices").as_array().size() == 2u);  // cpu:0 and cuda:0
    BOOST_REQUIRE(device(inv, "cuda:0"));
    BOOST_TEST(json::serialize(device(inv, "cuda:0")->at("seen_by")) == R"(["cuda"])");

    auto table = test::run_gpuhost({"detect", "--sysroot", kH200.string()});
    BOOST_REQUIRE(table.ok());
    BOOST_TEST(contains(table.output, "opencl, vulkan not run: the vendor plugins claimed every GPU-class PCI device (1) "
                                      "(gpuhost detect --all runs them)"),
               table.output);
}

BOOST_AUTO_TEST_CASE(detect_all_replays_what_the_machine_showed_live) {
    auto inv = detect({"--all"});
    auto live = json::parse(read(kH200 / "live-detect.json")).as_object();
    BOOST_TEST(inv.at("probes").at("ran") == true);
    BOOST_TEST(text(inv.at("probes"), "request") == "always");
    BOOST_REQUIRE_EQUAL(inv.at("devices").as_array().size(), live.at("devices").as_array().size());
    for (const auto &want : live.at("devices").as_array()) {
        std::string id = text(want, "id");
        BOOST_TEST_CONTEXT(id) {
            const json::value *got = device(inv, id);
            BOOST_REQUIRE(got);
            for (const char *key : {"name", "type", "backend", "vendor", "driver_version", "uuid", "architecture"})
                BOOST_TEST(text(*got, key) == text(want, key), key);
            BOOST_TEST(got->at("usable") == want.at("usable"));
            BOOST_TEST(json::serialize(got->at("seen_by")) == json::serialize(want.at("seen_by")));
            // PoCL sizes its global memory from what is free when asked: clinfo was
            // recorded at another moment than the live detect, so only the others compare.
            if (text(*got, "backend") != "opencl")
                BOOST_TEST(got->at("memory").at("total_bytes").to_number<std::uint64_t>() ==
                           want.at("memory").at("total_bytes").to_number<std::uint64_t>());
        }
    }
}

BOOST_AUTO_TEST_CASE(the_config_key_asks_for_the_probes_or_forbids_them) {
    BOOST_TEST(detect({}, {{"GPUHOST_PROBES", "always"}}).at("probes").at("ran") == true);
    auto never = detect({}, {{"GPUHOST_PROBES", "never"}, {"GPUHOST_DISABLE_PLUGINS", "cuda"}});
    BOOST_TEST(never.at("probes").at("ran") == false);
    BOOST_TEST(text(never.at("probes"), "why") == "probes: never (config)");
    BOOST_TEST(!device(never, "opencl:0"));
    // --all is the user asking now: it wins over the config.
    BOOST_TEST(detect({"--all"}, {{"GPUHOST_PROBES", "never"}}).at("probes").at("ran") == true);
    auto bad = test::run_gpuhost({"detect", "--sysroot", kH200.string()}, {{"GPUHOST_PROBES", "sometimes"}});
    BOOST_TEST(!bad.ok());
    BOOST_TEST(contains(bad.error_output, "auto, always or never"), bad.error_output);
}

BOOST_AUTO_TEST_CASE(a_gpu_without_its_vendor_plugin_is_still_found_through_opencl) {
    auto inv = detect({}, {{"GPUHOST_DISABLE_PLUGINS", "cuda"}});
    BOOST_TEST(inv.at("probes").at("ran") == true);
    BOOST_TEST(text(inv.at("probes"), "why") ==
               "0000:00:06.0 (0x10de:0x2335, class 0x030200) is claimed by no vendor plugin");
    bool found = false;
    for (const auto &d : inv.at("devices").as_array())
        if (text(d, "name") == "NVIDIA H200") {
            found = true;
            BOOST_TEST(text(d, "backend") == "opencl");
            BOOST_TEST(text(d, "type") == "discrete");
        }
    BOOST_TEST(found, json::serialize(inv.at("devices")));
}

BOOST_AUTO_TEST_CASE(a_sysroot_that_does_not_exist_is_a_usage_error) {
    for (const char *command : {"detect", "select", "doctor"}) {
        BOOST_TEST_CONTEXT(command) {
            auto r = test::run_gpuhost({command, "--sysroot", "/nonexistent/recording"});
            BOOST_TEST(r.exit_code == 2);
            BOOST_TEST(contains(r.error_output, "--sysroot /nonexistent/recording: no such folder"), r.error_output);
        }
    }
}
