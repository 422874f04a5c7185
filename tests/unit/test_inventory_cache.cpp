// The inventory cache through the real binary: used while the machine is the
// same, ignored (and rewritten) when it is corrupt, stale, from another machine,
// from the future or of another format.
#include "support/plugin_dir.hpp"
#include "support/text.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <ctime>
#include <fstream>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using test::TempDir;

using gpuhost::test::contains;
using gpuhost::test::read;

namespace {

// A recorded machine (sysroot) and private XDG dirs.
struct Machine {
    TempDir root, xdg;
    Machine() {
        root.write("proc/cpuinfo", read("/proc/cpuinfo"));
        root.write("proc/meminfo", read("/proc/meminfo"));
        root.write("proc/sys/kernel/random/boot_id", "2f1c4c1e-0000-4000-8000-000000000001\n");
        root.write("proc/sys/kernel/osrelease", "6.1.0-test\n");
        root.write("sys/bus/pci/devices/0000:01:00.0/vendor", "0x10de\n");
        root.write("sys/bus/pci/devices/0000:01:00.0/device", "0x2684\n");
        root.write("sys/bus/pci/devices/0000:01:00.0/class", "0x030000\n");
    }
    std::map<std::string, std::string> env(std::map<std::string, std::string> more = {}) const {
        more.emplace("XDG_CACHE_HOME", (xdg / "cache").string());
        more.emplace("XDG_STATE_HOME", (xdg / "state").string());
        more.emplace("XDG_CONFIG_HOME", (xdg / "config").string());
        return more;
    }
    fs::path cache_dir() const { return xdg / "cache/gpuhost"; }
    // The cache file for this sysroot (the only one written in these tests).
    fs::path cache_file() const {
        for (const auto &e : fs::directory_iterator(cache_dir())) return e.path();
        BOOST_FAIL("no cache file written");
        throw;
    }
    // Runs detect with --timings; returns what the cache did and the inventory.
    std::pair<std::string, json::object> detect(std::map<std::string, std::string> more = {},
                                                std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"detect", "--json", "--timings", "--sysroot", root.path().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        auto result = test::run_gpuhost(args, env(more));
        BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + "\n" + result.error_output);
        auto start = result.error_output.find("; cache ");
        BOOST_REQUIRE(start != std::string::npos);
        auto end = result.error_output.find("):\n", start);
        return {result.error_output.substr(start + 8, end - start - 8), json::parse(result.output).as_object()};
    }
    json::object cache() const { return json::parse(read(cache_file())).as_object(); }
    void write_cache(const json::value &v) const { std::ofstream(cache_file()) << json::serialize(v); }
};

std::string cpu_name(const json::object &inv) { return std::string(inv.at("devices").at(0).at("name").as_string()); }

// Marks the cached CPU so a hit is visible in the output.
json::object marked(json::object cache) {
    cache["inventory"].as_object()["devices"].as_array()[0].as_object()["name"] = "FROM THE CACHE";
    return cache;
}

}  // namespace

BOOST_AUTO_TEST_CASE(second_run_uses_the_cache_and_its_content) {
    Machine m;
    auto [first, inv] = m.detect();
    BOOST_TEST(first == "miss: absent");
    BOOST_TEST(m.cache().at("format") == 1);
    m.write_cache(marked(m.cache()));
    auto [second, cached] = m.detect();
    BOOST_TEST(contains(second, "hit"), second);
    BOOST_TEST(cpu_name(cached) == "FROM THE CACHE");
    auto [off, fresh] = m.detect({}, {"--no-cache"});
    BOOST_TEST(off == "off (--no-cache; refreshed)");
    BOOST_TEST(cpu_name(fresh) != "FROM THE CACHE");
    BOOST_TEST(cpu_name(m.cache().at("inventory").as_object()) != "FROM THE CACHE");  // replaced
    m.write_cache(marked(m.cache()));
    auto [in_process, watched] = m.detect({}, {"--in-process"});
    BOOST_TEST(in_process == "off (in process)");
    BOOST_TEST(cpu_name(watched) != "FROM THE CACHE");
    BOOST_TEST(cpu_name(m.cache().at("inventory").as_object()) == "FROM THE CACHE");  // left alone
}

BOOST_AUTO_TEST_CASE(a_cache_that_cannot_be_trusted_is_ignored_and_rewritten) {
    Machine m;
    m.detect();
    const json::object good = marked(m.cache());
    std::int64_t now = std::time(nullptr);
    struct Case {
        const char *name;
        std::function<void(json::object &)> spoil;
        const char *expect;
    };
    std::vector<Case> cases = {
        {"stale", [&](json::object &c) { c["created"] = now - 7200; }, "miss: stale (72"},
        {"future", [&](json::object &c) { c["created"] = now + 86400; }, "miss: written in the future"},
        {"format", [](json::object &c) { c["format"] = 2; }, "miss: format 2, this gpuhost writes 1"},
        {"other machine", [](json::object &c) { c["fingerprint"].as_object()["boot_id"] = "another-boot"; },
         "miss: machine changed: boot_id"},
        {"no inventory", [](json::object &c) { c.erase("inventory"); }, "miss: corrupt"},
    };
    for (const auto &k : cases) {
        BOOST_TEST_CONTEXT(k.name) {
            json::object spoiled = good;
            k.spoil(spoiled);
            m.write_cache(spoiled);
            auto [what, inv] = m.detect();
            BOOST_TEST(contains(what, k.expect), what);
            BOOST_TEST(cpu_name(inv) != "FROM THE CACHE");
            auto rewritten = m.cache();  // a fresh, valid cache replaced it
            BOOST_TEST(rewritten.at("format") == 1);
            BOOST_TEST(std::abs(rewritten.at("created").as_int64() - now) < 600);
            BOOST_TEST(cpu_name(rewritten.at("inventory").as_object()) != "FROM THE CACHE");
        }
    }
    std::ofstream(m.cache_file()) << "{\"format\": 1, \"created\": ";
    auto [what, inv] = m.detect();
    BOOST_TEST(contains(what, "miss: corrupt"), what);
    BOOST_TEST(m.cache().at("format") == 1);
}

BOOST_AUTO_TEST_CASE(the_ttl_comes_from_the_config) {
    Machine m;
    m.detect();
    json::object c = marked(m.cache());
    c["created"] = std::int64_t(std::time(nullptr)) - 30;
    m.write_cache(c);
    BOOST_TEST(contains(m.detect().first, "hit"));
    m.write_cache(c);
    auto [what, inv] = m.detect({{"GPUHOST_CACHE_TTL_S", "10"}});
    BOOST_TEST(contains(what, "TTL 10 s"), what);
}

BOOST_AUTO_TEST_CASE(each_part_of_the_machine_invalidates_the_cache) {
    Machine m;
    m.detect();
    BOOST_TEST(contains(m.detect().first, "hit"));
    struct Change {
        const char *part;
        std::function<void()> apply;
    };
    TempDir plugins;
    test::add_test_plugin(plugins, "test_good", "good");
    std::vector<Change> changes = {
        {"pci", [&] { m.root.write("sys/bus/pci/devices/0000:01:00.0/device", "0x2704\n"); }},
        {"pci", [&] { m.root.write("sys/bus/pci/devices/0000:02:00.0/class", "0x038000\n"); }},
        {"dev_nodes", [&] { m.root.write("dev/kfd", ""); }},
        {"dev_nodes", [&] { m.root.write("dev/dri/renderD128", ""); }},
        {"drivers", [&] { m.root.write("sys/module/amdgpu/version", "6.7.0\n"); }},
        {"drivers", [&] { m.root.write("proc/driver/nvidia/version", "NVRM version: 550.54\n"); }},
        {"kernel", [&] { m.root.write("proc/sys/kernel/osrelease", "6.2.0-test\n"); }},
        {"boot_id", [&] { m.root.write("proc/sys/kernel/random/boot_id", "another\n"); }},
    };
    for (const auto &c : changes) {
        BOOST_TEST_CONTEXT(c.part) {
            c.apply();
            std::string what = m.detect().first;
            BOOST_TEST(what == std::string("miss: machine changed: ") + c.part);
            BOOST_TEST(contains(m.detect().first, "hit"));
        }
    }
    auto with_plugin = m.detect({{"GPUHOST_PLUGIN_PATH", plugins.path().string()}});
    BOOST_TEST(with_plugin.first == "miss: machine changed: plugins");
}

BOOST_AUTO_TEST_CASE(cache_clear_removes_it) {
    Machine m;
    m.detect();
    BOOST_TEST(!fs::is_empty(m.cache_dir()));
    auto result = test::run_gpuhost({"cache", "clear"}, m.env());
    BOOST_REQUIRE(result.ok());
    BOOST_TEST(contains(result.output, "removed 1 cached inventory"));
    BOOST_TEST(fs::is_empty(m.cache_dir()));
    BOOST_TEST(m.detect().first == "miss: absent");
}

BOOST_AUTO_TEST_CASE(an_inventory_with_a_failed_plugin_is_retried_after_a_minute) {
    Machine m;
    TempDir plugins;
    test::add_test_plugin(plugins, "test_crash", "crash");
    std::map<std::string, std::string> env = {{"GPUHOST_PLUGIN_PATH", plugins.path().string()}};
    m.detect(env);
    BOOST_TEST(contains(m.detect(env).first, "hit"));  // within the minute
    json::object c = m.cache();
    c["created"] = std::int64_t(std::time(nullptr)) - 90;
    m.write_cache(c);
    BOOST_TEST(m.detect(env).first == "miss: plugin crash failed 90 s ago: retrying");
}

BOOST_AUTO_TEST_CASE(a_relative_sysroot_shares_the_cache_of_its_absolute_path) {
    Machine m;
    m.detect();
    auto relative = test::run_gpuhost(
        {"detect", "--timings", "--sysroot", m.root.path().filename().string()}, m.env(), m.root.path().parent_path().string());
    BOOST_REQUIRE(relative.ok());
    BOOST_TEST(contains(relative.error_output, "cache hit"), relative.error_output);
}

BOOST_AUTO_TEST_CASE(variables_that_change_detection_invalidate_the_cache) {
    // The recorded gfx1031 is unusable without HSA_OVERRIDE_GFX_VERSION and usable
    // with it: a cached run without the variable must not answer the run with it.
    Machine m;
    fs::path sysroot = fs::path(GPUHOST_FIXTURES) / "machines" / "amd-gfx1031-override";
    auto detect = [&](std::map<std::string, std::string> more) {
        auto r = test::run_gpuhost({"detect", "--json", "--timings", "--sysroot", sysroot.string()}, m.env(more));
        BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + "\n" + r.error_output);
        return std::pair{r.error_output, json::parse(r.output).as_object()};
    };
    auto dgpu_usable = [](const json::object &inv) {
        for (const auto &d : inv.at("devices").as_array())
            if (auto pci = d.as_object().if_contains("pci"); pci && pci->as_object().if_contains("bus_id") &&
                                                            pci->at("bus_id") == "0000:03:00.0")
                return d.at("usable").as_bool();
        BOOST_FAIL("no device at 0000:03:00.0");
        return false;
    };
    auto [plain_log, plain] = detect({});
    BOOST_TEST(!dgpu_usable(plain));
    BOOST_TEST(contains(detect({}).first, "; cache hit"));
    auto [override_log, overridden] = detect({{"HSA_OVERRIDE_GFX_VERSION", "10.3.0"}});
    BOOST_TEST(contains(override_log, "miss: machine changed: environment"), override_log);
    BOOST_TEST(dgpu_usable(overridden));
    for (const char *name : {"CUDA_VISIBLE_DEVICES", "GPUHOST_DISABLE_PLUGINS", "GPUHOST_NVML_LIBRARY",
                             "GPUHOST_CUDA_LIBRARY", "GPUHOST_LEVEL_ZERO_LIBRARY", "GPUHOST_OPENCL_LOADER",
                             "GPUHOST_VULKAN_LOADER"})
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(contains(detect({{name, "x"}}).first, "miss: machine changed: environment"));
        }
}
