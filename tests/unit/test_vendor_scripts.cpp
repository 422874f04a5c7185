// Vendor folders (sdk/docs/VENDORS.md): the Lua a manifest names is loaded
// under the same checks as the library; a broken folder is reported with its
// file and line and every other vendor keeps working. Backends are open.
#include "detect/device_schema.hpp"
#include "lua/vendors.hpp"
#include "plugins/manifest.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using gpuhost::test::contains;
using gpuhost::test::TempDir;

namespace {

// A working vendor table for backend `backend`.
std::string good_vendor(const std::string &backend = "xyz") {
    return R"LUA(return {
  backends = { ")LUA" + backend + R"LUA(" },
  accelerators = function(device, opts)
    return { { tag = "xyz", release = "2.12", torch = "2.12.1", reason = "the xyz build" } }
  end,
  pytorch = function(spec, rel, tag, opts) spec.index_url = "https://example.invalid/xyz"; return true end,
  smoke_test = { pytorch = "print('xyz')" },
}
)LUA";
}

// A plugin folder: manifest, an (unopened) library file, and the Lua files.
void add_vendor(const TempDir &dir, const std::string &name, const std::string &backend, const std::string &vendor_lua,
                int priority = 50, const std::string &rules_lua = {}) {
    std::string scripts = "\"vendor\": \"" + name + "/vendor.lua\"";
    if (!rules_lua.empty()) scripts += ", \"rules\": [\"" + name + "/rules.lua\"]";
    dir.write(name + ".gpuhost-plugin.json",
              "{\"manifest\":1,\"name\":\"" + name + "\",\"vendor\":\"other\",\"library\":\"lib" + name +
                  ".so\",\"abi\":{\"min\":1,\"max\":1},\"backends\":[\"" + backend + "\"],\"priority\":" +
                  std::to_string(priority) + ",\"scripts\":{" + scripts + "}}");
    dir.write("lib" + name + ".so", "not opened: scripts load from manifests alone");
    dir.write(name + "/vendor.lua", vendor_lua);
    if (!rules_lua.empty()) dir.write(name + "/rules.lua", rules_lua);
    fs::permissions(dir / name, fs::perms::group_write | fs::perms::others_write, fs::perm_options::remove);
}

PluginSearchOptions only(const TempDir &dir) {
    PluginSearchOptions o;
    o.dirs = {dir.path()};
    return o;
}

const lua::VendorProblem *problem_of(const lua::VendorScripts &v, const std::string &plugin) {
    for (const auto &p : v.problems)
        if (p.plugin == plugin) return &p;
    return nullptr;
}

bool loaded(const lua::VendorScripts &v, const std::string &plugin) {
    for (const auto &l : v.loaded)
        if (l.plugin == plugin) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(backend_names_are_open_identifiers) {
    for (const char *ok : {"npu", "cuda", "tpu_v5", "x"}) BOOST_TEST(is_backend_name(ok), ok);
    for (const char *bad : {"", "NPU", "9pu", "npu-x", "a_very_long_backend_name"}) BOOST_TEST(!is_backend_name(bad), bad);
    auto device = json::parse(R"({"vendor":"huawei","backend":"npu","name":"n","type":"discrete","signals":[],
                                  "memory":{},"usable":true})");
    BOOST_TEST(validate_device(device, "d").empty());
    device.as_object()["backend"] = "Not A Backend";
    auto errors = validate_device(device, "d");
    BOOST_REQUIRE(!errors.empty());
    BOOST_TEST(contains(errors.front(), "d.backend: \"Not A Backend\" is not a backend name"), errors.front());
}

BOOST_AUTO_TEST_CASE(a_manifest_declares_backends_and_names_its_lua) {
    TempDir dir;
    add_vendor(dir, "good", "xyz", good_vendor(), 42);
    auto m = read_manifest(dir / "good.gpuhost-plugin.json");
    BOOST_TEST(m.backends == std::vector<std::string>{"xyz"});
    BOOST_TEST(m.priority == 42);
    BOOST_TEST(m.scripts.vendor == dir / "good/vendor.lua");
    auto error = [&](const std::string &text) {
        dir.write("bad.gpuhost-plugin.json", text);
        try {
            read_manifest(dir / "bad.gpuhost-plugin.json");
        } catch (const FileError &e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    std::string head = R"({"manifest":1,"name":"bad","vendor":"o","library":"x.so","abi":{"min":1,"max":1},)";
    BOOST_TEST(contains(error(head + R"("backends":["NPU"]})"), "is not a backend name"));
    BOOST_TEST(contains(error(head + R"("backends":["x"],"scripts":{"vendor":"../x.lua"}})"), "must not climb out"));
    BOOST_TEST(contains(error(head + R"("scripts":{"vendor":"bad/v.lua"}})"), "needs \"backends\""));
    BOOST_TEST(contains(error(head + R"("backends":["x"],"scripts":{"colour":"bad/v.lua"}})"), "unknown key \"colour\""));
}

BOOST_AUTO_TEST_CASE(a_good_vendor_plans_through_the_generic_chooser) {
    TempDir dir;
    add_vendor(dir, "good", "xyz", good_vendor());
    lua::Engine engine;
    auto v = lua::load_vendor_scripts(engine, only(dir));
    BOOST_TEST(v.problems.empty());
    BOOST_TEST(loaded(v, "good"));
    auto got = engine
                   .run_string("local C = require('lib.tables').choose\n"
                               "local a = C.accelerators({backend = 'xyz'})\n"
                               "local s = C.packages('pytorch', 'xyz', '2.12')\n"
                               "return {first = a[1].tag, n = #a, index = s.index_url, torch = s.packages[1]}",
                               "check")
                   .to_json()
                   .as_object();
    BOOST_TEST(got.at("first") == "xyz");
    BOOST_TEST(got.at("n") == 1);  // no last-resort vendor loaded here: nothing after it
    BOOST_TEST(got.at("index") == "https://example.invalid/xyz");
    BOOST_TEST(got.at("torch") == "torch==2.12.1");
}

BOOST_AUTO_TEST_CASE(broken_vendor_folders_are_named_with_file_and_line_and_the_others_still_load) {
    TempDir dir;
    add_vendor(dir, "good", "xyz", good_vendor());
    add_vendor(dir, "syntax", "syn", "return {\n  accelerators = function( end,\n}\n");
    add_vendor(dir, "shape", "shp", "local t = 1\nreturn 42\n");
    add_vendor(dir, "noaccel", "noa", "return {\n  pytorch = function() end,\n}\n");
    add_vendor(dir, "writable", "wrt", good_vendor("wrt"));
    fs::permissions(dir / "writable/vendor.lua", fs::perms::others_write, fs::perm_options::add);
    // A later vendor claiming a backend an earlier one plans for.
    add_vendor(dir, "intruder", "xyz", good_vendor(), 90);
    // A rule file that breaks at run time.
    add_vendor(dir, "badrules", "bru", good_vendor("bru"), 50, "local x = nil\nreturn x.y\n");

    lua::Engine engine;
    auto v = lua::load_vendor_scripts(engine, only(dir));
    BOOST_TEST(loaded(v, "good"));

    auto p = problem_of(v, "syntax");
    BOOST_REQUIRE(p);
    BOOST_TEST(contains(p->file, "syntax/vendor.lua"), p->file);
    BOOST_TEST(p->line == 2, p->describe());

    p = problem_of(v, "shape");
    BOOST_REQUIRE(p);
    BOOST_TEST(p->line == 2, p->describe());
    BOOST_TEST(contains(p->message, "must return a table (got number)"), p->describe());

    p = problem_of(v, "noaccel");
    BOOST_REQUIRE(p);
    BOOST_TEST(contains(p->message, "needs \"accelerators\""), p->describe());

    p = problem_of(v, "writable");
    BOOST_REQUIRE(p);
    BOOST_TEST(contains(p->message, "writable by others"), p->describe());
    BOOST_TEST(!loaded(v, "writable"));

    p = problem_of(v, "intruder");
    BOOST_REQUIRE(p);
    BOOST_TEST(contains(p->message, "backend \"xyz\" is already planned for by plugin \"good\""), p->describe());

    p = problem_of(v, "badrules");
    BOOST_REQUIRE(p);
    BOOST_TEST(contains(p->file, "badrules/rules.lua"), p->file);
    BOOST_TEST(p->line == 2, p->describe());
    BOOST_TEST(loaded(v, "badrules"));  // its vendor.lua still loaded

    // The good vendor still plans.
    auto first = engine.run_string("return require('lib.tables').choose.accelerators({backend = 'xyz'})[1].reason", "c");
    BOOST_TEST(first.to_json() == "the xyz build");
}

BOOST_AUTO_TEST_CASE(gpuhost_plugins_lists_the_scripts_and_the_problems) {
    TempDir dir;
    add_vendor(dir, "shape", "shp", "return 'no'\n");
    // plugins loads and lists, it detects nothing: the cuda plugin may take part.
    auto r = test::run_gpuhost({"plugins", "--json"}, {{"GPUHOST_PLUGIN_PATH", dir.path().string()},
                                                       test::only_real_plugins({"cpu", "cuda"})});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.error_output);
    auto o = json::parse(r.output).as_object();
    bool cuda_scripts = false;
    for (const auto &p : o.at("loaded").as_array())
        if (p.at("name") == "cuda")
            cuda_scripts = p.at("backends") == json::array{"cuda"} &&
                           contains(json::serialize(p.at("scripts")), "cuda/vendor.lua") &&
                           contains(json::serialize(p.at("scripts")), "cuda/doctor.lua");
    BOOST_TEST(cuda_scripts, r.output);
    std::string problems = json::serialize(o.at("script_problems"));
    BOOST_TEST(contains(problems, "shape/vendor.lua"), problems);
    BOOST_TEST(contains(problems, "\"line\":1"), problems);
    auto text = test::run_gpuhost({"plugins"}, {{"GPUHOST_PLUGIN_PATH", dir.path().string()}});
    BOOST_TEST(contains(text.output, "vendor script left out: " + (dir / "shape/vendor.lua").string() + ":1: a vendor script must return a table (got string)"),
               text.output);
}

BOOST_AUTO_TEST_CASE(a_setting_naming_an_undeclared_backend_is_refused) {
    TempDir dir;
    add_vendor(dir, "good", "xyz", good_vendor());
    std::map<std::string, std::string> env{{"GPUHOST_PLUGIN_PATH", dir.path().string()}};
    auto declared = test::run_gpuhost({"config", "set", "force_backend", "xyz"}, env);
    BOOST_TEST(declared.ok(), declared.error_output);
    BOOST_TEST(!contains(declared.error_output, "is not a backend"), declared.error_output);
    auto unknown = test::run_gpuhost({"config", "set", "backend_priority", "xyz,nosuch"}, env);
    BOOST_TEST(unknown.exit_code == 2, unknown.error_output);
    BOOST_TEST(contains(unknown.error_output, "backend_priority \"nosuch\" is not a backend any loaded plugin declares"),
               unknown.error_output);
    BOOST_TEST(contains(unknown.error_output, "xyz"), unknown.error_output);  // the known ones are listed
}
