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
    json::object file() const { return json::parse(read(cache_file())).as_object(); }
    // The newest entry (a fingerprint, when it was made, the inventory).
    json::object cache() const { return file().at("entries").at(0).as_object(); }
    // Replaces the whole file with this one entry.
    void write_cache(const json::value &entry) const {
        std::ofstream(cache_file()) << json::serialize(json::object{{"format", 2}, {"entries", json::array{entry}}});
    }
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
    BOOST_TEST(m.file().at("format") == 2);
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
            auto rewritten = m.cache();  // a fresh, valid entry replaced it
            BOOST_TEST(m.file().at("format") == 2);
            BOOST_TEST(std::abs(rewritten.at("created").as_int64() - now) < 600);
            BOOST_TEST(cpu_name(rewritten.at("inventory").as_object()) != "FROM THE CACHE");
        }
    }
    // A file of the first format (one inventory, no entries) is replaced.
    json::object first_format = m.cache();
    first_format["format"] = 1;
    std::ofstream(m.cache_file()) << json::serialize(first_format);
    BOOST_TEST(m.detect().first == "miss: format 1, this gpuhost writes 2");
    BOOST_TEST(contains(m.detect().first, "hit"));
    std::ofstream(m.cache_file()) << "{\"format\": 2, \"entries\": ";
    auto [what, inv] = m.detect();
    BOOST_TEST(contains(what, "miss: corrupt"), what);
    BOOST_TEST(m.file().at("format") == 2);
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

BOOST_AUTO_TEST_CASE(switching_a_variable_back_and_forth_detects_once_per_value) {
    Machine m;
    std::map<std::string, std::string> other = {{"CUDA_VISIBLE_DEVICES", "1"}};
    BOOST_TEST(m.detect().first == "miss: absent");
    BOOST_TEST(m.detect(other).first == "miss: machine changed: environment");
    for (int round = 0; round < 2; ++round) {
        BOOST_TEST(contains(m.detect().first, "hit"));
        BOOST_TEST(contains(m.detect(other).first, "hit"));
    }
    BOOST_TEST(m.file().at("entries").as_array().size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_cache_keeps_the_newest_entries_and_drops_other_boots) {
    Machine m;
    const int values = 11;  // more than the cache keeps (8)
    for (int i = 0; i < values; ++i) m.detect({{"CUDA_VISIBLE_DEVICES", std::to_string(i)}});
    auto entries = m.file().at("entries").as_array();
    BOOST_TEST(entries.size() == 8u);
    BOOST_TEST(contains(m.detect({{"CUDA_VISIBLE_DEVICES", std::to_string(values - 1)}}).first, "hit"));
    BOOST_TEST(contains(m.detect({{"CUDA_VISIBLE_DEVICES", std::to_string(values - 8)}}).first, "hit"));
    BOOST_TEST(m.detect({{"CUDA_VISIBLE_DEVICES", "0"}}).first == "miss: machine changed: environment");  // evicted
    // After a reboot no old entry can match again: the next write drops them all.
    m.root.write("proc/sys/kernel/random/boot_id", "2f1c4c1e-0000-4000-8000-000000000002\n");
    BOOST_TEST(m.detect().first == "miss: machine changed: boot_id environment");
    BOOST_TEST(m.file().at("entries").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_inventory_made_without_probes_never_answers_a_command_that_needs_them) {
    Machine m;  // its one GPU is claimed by the cuda plugin: plain detect skips the probes
    auto [first, plain] = m.detect();
    BOOST_TEST(plain.at("probes").at("ran") == false);
    auto [all_first, all] = m.detect({}, {"--all"});
    BOOST_TEST(all_first == "miss: cached with probes auto (they did not run), this command asks for always");
    BOOST_TEST(all.at("probes").at("ran") == true);
    BOOST_TEST(contains(m.detect({}, {"--all"}).first, "hit"));
    // Both stay cached; plain detect still gets the inventory auto made.
    auto [plain_again, again] = m.detect();
    BOOST_TEST(contains(plain_again, "hit"));
    BOOST_TEST(again.at("probes").at("request") == "auto");
    BOOST_TEST(m.file().at("entries").as_array().size() == 2u);
    // probes=never is served by the auto inventory that did not run them.
    BOOST_TEST(contains(m.detect({{"GPUHOST_PROBES", "never"}}).first, "hit"));
}
