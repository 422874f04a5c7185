// The version tables checked through gpuhost's own sandboxed engine: the plain
// Lua suite tests/lua/test_tables.lua, and the facts plans depend on.
#include "lua/engine.hpp"

#include <boost/test/unit_test.hpp>

using namespace gpuhost::lua;
namespace json = boost::json;

namespace {

// The source scripts/, tests/lua (for the suite) and plugins/ (the built-in
// vendor folders' Lua); nothing else is reachable. The vendors are registered
// as the host registers them (gpuhost.vendors), in their manifests' order.
std::unique_ptr<Engine> engine() {
    auto e = std::make_unique<Engine>(ScriptPath({std::string(GPUHOST_SOURCE_DIR) + "/scripts",
                                                  std::string(GPUHOST_SOURCE_DIR) + "/tests/lua",
                                                  std::string(GPUHOST_SOURCE_DIR) + "/plugins"}));
    e->run_string("gpuhost.vendors = {}\n"
                  "for _, n in ipairs({'cuda', 'rocm', 'intel', 'mps', 'cpu'}) do\n"
                  "  gpuhost.vendors[#gpuhost.vendors + 1] = dofile(n .. '/vendor.lua')\n"
                  "end",
                  "vendors");
    return e;
}

// Runs `code` with T = require("lib.tables") and returns its result as JSON.
json::value eval(Engine &e, const std::string &code) {
    // C: the generic chooser, and each vendor's own helpers (torch_cuda_tags...) by name.
    return e.run_string("local T = require('lib.tables')\n"
                        "local C = setmetatable({}, {__index = function(_, k) return T.choose[k] or T.choose.fn(k) end})\n" +
                            code,
                        "facts")
        .to_json();
}

}  // namespace

BOOST_AUTO_TEST_CASE(plain_lua_table_suite_passes_in_the_sandbox) {
    auto e = engine();
    // The suite finds the repository through arg[1] and ends with os.exit(1) on failure.
    e->run_string("arg = {'" + std::string(GPUHOST_SOURCE_DIR) +
                      "'}\nos.exit = function(code) error('test_tables.lua failed (exit ' .. tostring(code) .. ')', 0) end",
                  "suite prelude");
    BOOST_CHECK_NO_THROW(e->run_script("test_tables.lua"));
}

BOOST_AUTO_TEST_CASE(driver_535_gets_cuda_12_not_13) {
    auto e = engine();
    auto v = eval(*e, "local a = C.accelerators({backend = 'cuda', driver_version = '535.104.05', architecture = '8.6'})\n"
                      "local tags = {} for _, x in ipairs(a) do tags[#tags + 1] = x.tag end\n"
                      "local spec = C.packages('cupy', a[1].tag)\n"
                      "return {first = a[1].tag, tags = tags, cupy = spec.packages[1]}");
    std::string first(v.at("first").as_string());
    BOOST_TEST(first.rfind("cu12", 0) == 0, first);
    for (const auto &t : v.at("tags").as_array()) BOOST_TEST(std::string(t.as_string()).rfind("cu13", 0) != 0);
    BOOST_TEST(v.at("cupy").as_string() == "cupy-cuda12x[ctk]>=14");
}

BOOST_AUTO_TEST_CASE(cc_61_never_gets_a_build_without_sm_61) {
    auto e = engine();
    // Every PyTorch line, a driver new enough for anything: each accepted tag
    // must carry sm_61 kernels (or PTX that JITs to them), per the tables.
    auto v = eval(*e, R"(
local bad, seen = {}, 0
for _, rel in ipairs(C.releases()) do
  -- the options the planner uses (defaults), checked against the raw sm lists
  local acc = C.torch_cuda_tags(rel, '580.65.06', {'6.1'})
  for _, info in ipairs(acc or {}) do
    seen = seen + 1
    local entry, ok = nil, false
    for _, c in ipairs(rel.cuda or {}) do if c.tag == info.tag then entry = c end end
    for _, sm in ipairs(entry and entry.sm or {}) do
      local maj, min = sm:match('^(%d+)%.(%d+)$')
      if tonumber(maj) == 6 and tonumber(min) <= 1 then ok = true end   -- sm_60/sm_61 cubins run on 6.1
    end
    if not ok then bad[#bad + 1] = rel.line .. ' ' .. info.tag end
  end
end
local a = C.accelerators({backend = 'cuda', driver_version = '580.65.06', architecture = '6.1'})
return {bad = bad, seen = seen, first = a[1].tag, reason = a[1].reason or ''})");
    BOOST_TEST(v.at("bad").as_array().empty(), json::serialize(v.at("bad")));
    BOOST_TEST(v.at("seen").as_int64() > 0);
    std::string first(v.at("first").as_string());
    // The newest build that still ships Pascal kernels: cu126 (sm_60 kernels run a 6.1 card).
    BOOST_TEST(first == "cu126", first);
    BOOST_TEST(std::string(v.at("reason").as_string()).find("sm_60") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(gfx1031_gets_the_override) {
    auto e = engine();
    auto v = eval(*e, "local a = C.accelerators({backend = 'rocm', architecture = 'gfx1031'})\n"
                      "return {tag = a[1].tag, env = a[1].env}");
    BOOST_TEST(std::string(v.at("tag").as_string()).rfind("rocm", 0) == 0);
    BOOST_TEST(v.at("env").at("HSA_OVERRIDE_GFX_VERSION").as_string() == "10.3.0");
}

BOOST_AUTO_TEST_CASE(gfx803_gets_no_build_and_the_cpu_plan) {
    auto e = engine();
    auto v = eval(*e, "local a = C.accelerators({backend = 'rocm', architecture = 'gfx803'})\n"
                      "return {n = #a, tag = a[1].tag, reason = a[1].reason}");
    BOOST_TEST(v.at("n").as_int64() == 1);
    BOOST_TEST(v.at("tag").as_string() == "cpu");
    std::string reason(v.at("reason").as_string());
    BOOST_TEST(reason.find("no supported ROCm build") != std::string::npos, reason);
}
