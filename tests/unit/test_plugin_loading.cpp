// The loader against good and broken plugins: each bad one is rejected with
// its reason, and the good ones still load.
#include "plugins/plugin_set.hpp"
#include "support/plugin_dir.hpp"
#include "support/run_gpuhost.hpp"
#include "support/text.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <set>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace gpuhost;
using gpuhost::test::TempDir;

using gpuhost::test::contains;

namespace {

fs::path test_library(const std::string &name) { return fs::path(GPUHOST_TEST_PLUGIN_DIR) / ("lib" + name + ".so"); }

std::string manifest(const std::string &name, const std::string &library, int abi_min = 1, int abi_max = 1) {
    return "{\"manifest\":1,\"name\":\"" + name + "\",\"vendor\":\"other\",\"version\":\"1.0\",\"library\":\"" +
           library + "\",\"abi\":{\"min\":" + std::to_string(abi_min) + ",\"max\":" + std::to_string(abi_max) +
           "},\"platforms\":[\"linux\"]}";
}

// Copies a built test library into dir and writes its manifest.
void install_plugin(const TempDir &dir, const std::string &manifest_name, const std::string &target,
                    const std::string &plugin_name) {
    std::string file = "lib" + target + ".so";
    fs::copy_file(test_library(target), dir / file, fs::copy_options::overwrite_existing);
    dir.write(manifest_name + ".gpuhost-plugin.json", manifest(plugin_name, file));
}

PluginSet load_from(const TempDir &dir, bool allow_insecure = false) {
    PluginSearchOptions options;
    options.dirs = {dir.path()};
    options.allow_insecure = allow_insecure;
    return load_plugins(options);
}

std::string only_reason(const PluginSet &set) {
    BOOST_REQUIRE_EQUAL(set.rejected.size(), 1u);
    return set.rejected.front().reason;
}

}  // namespace

BOOST_AUTO_TEST_CASE(good_plugin_loads_and_detects) {
    TempDir dir;
    install_plugin(dir, "good", "test_good", "good");
    PluginSet set = load_from(dir);
    BOOST_TEST(set.rejected.empty());
    BOOST_REQUIRE_EQUAL(set.loaded.size(), 1u);
    BOOST_TEST(set.loaded[0]->name() == "good");
    BOOST_TEST(set.loaded[0]->abi_version() == 1u);
}

BOOST_AUTO_TEST_CASE(plugin_written_in_c_loads) {
    TempDir dir;
    install_plugin(dir, "plain-c", "test_plain_c", "plain-c");
    PluginSet set = load_from(dir);
    BOOST_REQUIRE_EQUAL(set.loaded.size(), 1u);
    BOOST_TEST(!set.loaded[0]->has_kernel());
}

BOOST_AUTO_TEST_CASE(wrong_abi_version_is_rejected) {
    TempDir dir;
    install_plugin(dir, "future", "test_future_abi", "future");
    PluginSet set = load_from(dir);
    BOOST_TEST(set.loaded.empty());
    BOOST_TEST(contains(only_reason(set), "speaks no ABI version this host supports"));
}

BOOST_AUTO_TEST_CASE(manifest_abi_outside_host_range_is_rejected_without_loading) {
    TempDir dir;
    fs::copy_file(test_library("test_good"), dir / "libgood.so");
    dir.write("good.gpuhost-plugin.json", manifest("good", "libgood.so", 7, 9));
    PluginSet set = load_from(dir);
    BOOST_TEST(set.loaded.empty());
    BOOST_TEST(contains(only_reason(set), "outside what this host speaks"));
}

BOOST_AUTO_TEST_CASE(missing_entry_symbol_is_rejected) {
    TempDir dir;
    install_plugin(dir, "noentry", "test_no_entry", "noentry");
    PluginSet set = load_from(dir);
    BOOST_TEST(set.loaded.empty());
    BOOST_TEST(contains(only_reason(set), "no entry symbol gpuhost_plugin_entry"));
}

BOOST_AUTO_TEST_CASE(text_file_named_so_is_rejected) {
    TempDir dir;
    dir.write("libfake.so", "this is not a shared library\n");
    dir.write("fake.gpuhost-plugin.json", manifest("fake", "libfake.so"));
    PluginSet set = load_from(dir);
    BOOST_TEST(set.loaded.empty());
    BOOST_TEST(contains(only_reason(set), "not a loadable shared library"));
}

BOOST_AUTO_TEST_CASE(manifest_that_lies_about_the_name_is_rejected) {
    TempDir dir;
    install_plugin(dir, "liar", "test_good", "nvidia-fast");  // the library calls itself "good"
    PluginSet set = load_from(dir);
    BOOST_TEST(set.loaded.empty());
    BOOST_TEST(contains(only_reason(set), "manifest names it \"nvidia-fast\" but the library calls itself \"good\""));
}

BOOST_AUTO_TEST_CASE(manifest_pointing_at_a_missing_library_is_rejected) {
    TempDir dir;
    dir.write("ghost.gpuhost-plugin.json", manifest("ghost", "libghost.so"));
    BOOST_TEST(contains(only_reason(load_from(dir)), "does not exist"));
}

BOOST_AUTO_TEST_CASE(broken_manifests_are_rejected_with_file_and_place) {
    TempDir dir;
    dir.write("a.gpuhost-plugin.json", "{\"manifest\": 1, \"name\": \"a\",\n  oops }");
    dir.write("b.gpuhost-plugin.json", "{\"manifest\": 1, \"name\": \"B A D\", \"vendor\":\"x\", \"library\":\"x.so\", \"abi\":{\"min\":1,\"max\":1}}");
    dir.write("c.gpuhost-plugin.json", "{\"manifest\": 1, \"name\": \"c\", \"vendor\":\"x\", \"library\":\"../../etc/x.so\", \"abi\":{\"min\":1,\"max\":1}}");
    dir.write("d.gpuhost-plugin.json", "[]");
    PluginSet set = load_from(dir);
    BOOST_REQUIRE_EQUAL(set.rejected.size(), 4u);
    BOOST_TEST(contains(set.rejected[0].reason, "a.gpuhost-plugin.json:2:"));
    BOOST_TEST(contains(set.rejected[1].reason, "must match"));
    BOOST_TEST(contains(set.rejected[2].reason, "must be a file name in the manifest's folder"));
    BOOST_TEST(contains(set.rejected[3].reason, "a manifest is a JSON object"));
}

BOOST_AUTO_TEST_CASE(second_plugin_with_the_same_name_is_rejected) {
    TempDir first, second;
    install_plugin(first, "good", "test_good", "good");
    install_plugin(second, "good", "test_good_twin", "good");
    PluginSearchOptions options;
    options.dirs = {first.path(), second.path()};
    PluginSet set = load_plugins(options);
    BOOST_REQUIRE_EQUAL(set.loaded.size(), 1u);
    BOOST_TEST(set.loaded[0]->manifest().file.parent_path() == first.path());
    BOOST_TEST(contains(only_reason(set), "duplicate name \"good\": already provided by " + first.path().string()));
}

BOOST_AUTO_TEST_CASE(empty_and_missing_directories_are_fine) {
    TempDir dir;
    PluginSearchOptions options;
    options.dirs = {dir.path(), dir / "does-not-exist"};
    PluginSet set = load_plugins(options);
    BOOST_TEST(set.loaded.empty());
    BOOST_TEST(set.rejected.empty());
}

BOOST_AUTO_TEST_CASE(world_writable_plugin_is_refused_unless_allowed) {
    TempDir dir;
    install_plugin(dir, "good", "test_good", "good");
    fs::permissions(dir / "libtest_good.so", fs::perms::others_write, fs::perm_options::add);
    BOOST_TEST(contains(only_reason(load_from(dir)), "writable by others"));
    BOOST_TEST(load_from(dir, /*allow_insecure=*/true).loaded.size() == 1u);

    fs::permissions(dir / "libtest_good.so", fs::perms::others_write, fs::perm_options::remove);
    fs::permissions(dir.path(), fs::perms::group_write, fs::perm_options::add);
    BOOST_TEST(contains(only_reason(load_from(dir)), "folder refused"));
}

BOOST_AUTO_TEST_CASE(manifests_load_in_sorted_order) {
    TempDir dir;
    install_plugin(dir, "zeta", "test_good_twin", "good");
    install_plugin(dir, "alpha", "test_good", "good");
    PluginSet set = load_from(dir);
    BOOST_REQUIRE_EQUAL(set.loaded.size(), 1u);
    BOOST_TEST(set.loaded[0]->manifest().file.filename() == "alpha.gpuhost-plugin.json");
}

// The whole tool, as a user runs it: one broken and one crashing-in-detect
// plugin next to good ones; detection reports them and still shows the CPU.
BOOST_AUTO_TEST_CASE(gpuhost_detect_survives_bad_plugins) {
    TempDir dir;
    install_plugin(dir, "good", "test_good", "good");
    install_plugin(dir, "garbage", "test_garbage", "garbage");
    dir.write("fake.gpuhost-plugin.json", manifest("fake", "libfake.so"));
    dir.write("libfake.so", "not an ELF file");
    auto result = gpuhost::test::run_gpuhost({"detect", "--json"}, {{"GPUHOST_PLUGIN_PATH", dir.path().string()}});
    BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + "\n" + result.error_output);
    auto inv = boost::json::parse(result.output).as_object();
    std::set<std::string> ids, failed;
    std::string fake_reason;
    for (const auto &d : inv["devices"].as_array()) ids.insert(std::string(d.at("id").as_string()));
    for (const auto &p : inv["plugins"].as_array())
        if (p.at("status") == "failed") {
            failed.insert(std::string(p.at("plugin").as_string()));
            if (p.at("plugin") == "fake") fake_reason = std::string(p.at("reason").as_string());
        }
    BOOST_TEST(ids.count("cpu:0") == 1u);
    // The library is opened only in the probe child, so "fake" fails there, not in gpuhost.
    BOOST_TEST((failed == std::set<std::string>{"garbage", "fake"}));
    BOOST_TEST(contains(fake_reason, "did not load"));
    BOOST_TEST(contains(fake_reason, "not a loadable shared library"));

    auto listing = gpuhost::test::run_gpuhost({"plugins", "--json"}, {{"GPUHOST_PLUGIN_PATH", dir.path().string()}});
    auto plugins = boost::json::parse(listing.output).as_object();
    std::set<std::string> loaded;
    for (const auto &p : plugins["loaded"].as_array()) loaded.insert(std::string(p.at("name").as_string()));
    BOOST_TEST(loaded.count("cpu") == 1u);
    BOOST_TEST(loaded.count("good") == 1u);
    BOOST_TEST(loaded.count("garbage") == 1u);
    auto refused = gpuhost::test::refused_plugins(plugins);
    BOOST_REQUIRE_EQUAL(refused.size(), 1u);
    BOOST_TEST(contains(std::string(refused[0].at("path").as_string()), "fake.gpuhost-plugin.json"));
}
