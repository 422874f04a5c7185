// The sandboxed Lua engine: errors name file and line, escapes are refused,
// runaway scripts stop, the gpuhost module works and logs its actions.
#include "lua/engine.hpp"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace gpuhost;
using namespace gpuhost::lua;
namespace json = boost::json;

namespace {

struct Sandbox {
    test::TempDir dir;
    std::unique_ptr<Engine> engine;
    explicit Sandbox(Limits limits = {}) {
        dir.write("scripts/lib/ok.lua", "return {answer = 42}\n");
        engine = std::make_unique<Engine>(ScriptPath({dir / "scripts"}), limits);
    }
    // Runs code as a script file inside the scripts folder; returns the error text ("" when none).
    std::string error_of(const std::string &code, const std::string &name = "profiles/p.lua") {
        dir.write("scripts/" + name, code);
        try {
            engine->run_file(dir / "scripts" / name);
        } catch (const ScriptError &e) {
            return e.what();
        }
        return "";
    }
};

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(runs_a_script_and_returns_data) {
    Sandbox s;
    s.dir.write("scripts/profiles/p.lua", "local ok = require('lib.ok')\nreturn {n = ok.answer + 1, list = {'a', 'b'}}\n");
    auto v = s.engine->run_file(s.dir / "scripts/profiles/p.lua").to_json();
    BOOST_TEST(v.at("n").as_int64() == 43);
    BOOST_TEST(v.at("list").as_array().size() == 2u);
    BOOST_TEST(v.at("list").as_array()[1].as_string() == "b");
}

BOOST_AUTO_TEST_CASE(error_names_file_line_and_message) {
    Sandbox s;
    std::string e = s.error_of("local x = 1\nlocal y = nil\nreturn y.field\n");
    BOOST_TEST(has(e, (s.dir / "scripts/profiles/p.lua").string() + ":3:"), e);
    BOOST_TEST(has(e, "attempt to index a nil value"), e);
    std::string syntax = s.error_of("return {\n  a = 1,\n  b = = 2,\n}\n");
    BOOST_TEST(has(syntax, (s.dir / "scripts/profiles/p.lua").string() + ":3:"), syntax);
    std::string raised = s.error_of("\n\nerror('profile needs a framework')\n");
    BOOST_TEST(has(raised, "p.lua:3: profile needs a framework"), raised);
}

BOOST_AUTO_TEST_CASE(long_paths_are_named_in_full) {
    Sandbox s;
    std::string name = "profiles/a-rather-long-folder-name-that-lua-would-shorten/and-deeper-still/p.lua";
    std::string e = s.error_of("return nil + 1\n", name);
    BOOST_TEST(has(e, (s.dir / "scripts" / name).string() + ":1:"), e);
}

BOOST_AUTO_TEST_CASE(io_and_os_escapes_are_refused) {
    Sandbox s;
    BOOST_TEST(has(s.error_of("return io.open('/etc/passwd')"), "global 'io'"));
    BOOST_TEST(has(s.error_of("return os.execute('true')"), "field 'execute'"));
    BOOST_TEST(has(s.error_of("return os.remove('/tmp/x')"), "field 'remove'"));
    BOOST_TEST(has(s.error_of("return os.getenv('HOME')"), "field 'getenv'"));
    BOOST_TEST(has(s.error_of("os.exit(1)"), "field 'exit'"));
    BOOST_TEST(has(s.error_of("return package.loadlib('libc.so.6', 'system')"), "global 'package'"));
    BOOST_TEST(has(s.error_of("return debug.getregistry()"), "global 'debug'"));
    BOOST_TEST(s.error_of("assert(type(os.time()) == 'number' and type(os.clock()) == 'number' and os.date('%Y'))") == "");
}

BOOST_AUTO_TEST_CASE(binary_chunks_are_refused) {
    Sandbox s;
    BOOST_TEST(has(s.error_of("return string.dump(function() end)"), "field 'dump'"));
    // A precompiled chunk starts with ESC "Lua"; load must refuse it even when asked for "b".
    std::string e = s.error_of("local f, err = load('\\27Lua\\84\\0', 'x', 'bt')\nreturn f");
    BOOST_TEST(has(e, "only text chunks are allowed"), e);
    e = s.error_of("local f, err = load('\\27LuaT\\0\\25\\147\\13\\10\\26\\10')\nassert(f, err)");
    BOOST_TEST(has(e, "binary chunk"), e);
    // A binary file on the script path is refused by dofile as well.
    s.dir.write("scripts/lib/bin.lua", std::string("\x1bLuaT\0\x19\x93\r\n\x1a\n", 12));
    e = s.error_of("dofile('lib/bin.lua')");
    BOOST_TEST(has(e, "binary chunk"), e);
    BOOST_TEST(s.error_of("local f = assert(load('return 1 + 1'))\nassert(f() == 2)") == "");
}

BOOST_AUTO_TEST_CASE(dofile_only_inside_the_script_folders) {
    Sandbox s;
    s.dir.write("outside.lua", "return 1");
    std::string e = s.error_of("return dofile('" + (s.dir / "outside.lua").string() + "')");
    BOOST_TEST(has(e, "outside the script folders"), e);
    e = s.error_of("return dofile('../outside.lua')");
    BOOST_TEST(has(e, "no script ../outside.lua"), e);
    e = s.error_of("return dofile('/etc/passwd')");
    BOOST_TEST(has(e, "outside the script folders"), e);
    BOOST_TEST(has(s.error_of("local f, err = loadfile('/etc/passwd')\nassert(f, err)"), "outside the script folders"));
    // A link inside the folder pointing out of it is judged by where it leads.
    std::filesystem::create_symlink(s.dir / "outside.lua", s.dir / "scripts/lib/link.lua");
    e = s.error_of("return dofile('lib/link.lua')");
    BOOST_TEST(has(e, "no script lib/link.lua"), e);
    BOOST_TEST(has(s.error_of("require('os')"), "module 'os' not found"));
    BOOST_TEST(s.error_of("assert(dofile('lib/ok.lua').answer == 42)") == "");
    // A broken file reached through dofile or require is named itself, with its line.
    s.dir.write("scripts/lib/broken.lua", "return {\n  x = = 1\n}\n");
    e = s.error_of("local t = require('lib.broken')");
    BOOST_TEST(has(e, (s.dir / "scripts/lib/broken.lua").string() + ":2: unexpected symbol near '='"), e);
    e = s.error_of("local t = dofile('lib/broken.lua')");
    BOOST_TEST(has(e, (s.dir / "scripts/lib/broken.lua").string() + ":2:"), e);
}

BOOST_AUTO_TEST_CASE(runaway_scripts_stop) {
    Limits limits;
    limits.steps = 5'000'000;
    limits.memory_bytes = 32u << 20;
    Sandbox s(limits);
    std::string e = s.error_of("local n = 0\nwhile true do n = n + 1 end\n");
    BOOST_TEST(has(e, "p.lua:2: step limit exceeded"), e);
    e = s.error_of("local function f(n) return 1 + f(n + 1) end\nreturn f(1)\n");
    BOOST_TEST((has(e, "stack overflow") || has(e, "memory limit")), e);
    e = s.error_of("local t = {}\nfor i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end\n");
    BOOST_TEST((has(e, "memory limit exceeded") || has(e, "step limit")), e);
    e = s.error_of("return string.rep('x', 1 << 30)");
    BOOST_TEST(has(e, "memory limit exceeded: the script used more than 32 MiB"), e);
    BOOST_TEST(s.engine->memory_in_use() < (32u << 20));
    // The state stays usable after each refusal.
    BOOST_TEST(s.error_of("return 1") == "");
    e = s.error_of("local co = coroutine.wrap(function() while true do end end)\nco()\n");
    BOOST_TEST(has(e, "step limit exceeded"), e);
    // Swallowing the error with pcall does not keep a runaway script alive.
    e = s.error_of("while true do pcall(function() while true do end end) end\n");
    BOOST_TEST(has(e, "step limit exceeded"), e);
    e = s.error_of("local function f() while true do pcall(f) end end\nf()\n");
    BOOST_TEST((has(e, "step limit exceeded") || has(e, "stack overflow")), e);
    BOOST_TEST(s.error_of("local n = 0 for i = 1, 1000 do n = n + i end assert(n == 500500)") == "");
}

// One string.find can backtrack for hours inside a single C call, where the
// step hook never runs: each pattern call is charged its worst case first.
BOOST_AUTO_TEST_CASE(lua_patterns_count_against_the_step_limit) {
    Limits limits;
    limits.steps = 5'000'000;
    Sandbox s(limits);
    // Each would run for hours if it ran; refused first, the test ends at once.
    std::string e = s.error_of("local s = string.rep('a', 100000)\nreturn s:find('.-.-.-b')\n");
    BOOST_TEST(has(e, "p.lua:2: step limit exceeded: string.find"), e);
    BOOST_TEST(has(e, "gpuhost.regex_find"), e);
    e = s.error_of("local s = string.rep('a', 100000)\nreturn s:gsub('(a-)b', 'x')\n");
    BOOST_TEST(has(e, "step limit exceeded: string.gsub"), e);
    e = s.error_of("local n = 0\nfor w in string.rep('ab ', 20000):gmatch('.-%s.-%s') do n = n + 1 end\n");
    BOOST_TEST(has(e, "step limit exceeded: string.gmatch"), e);
    // Ordinary use still works: short subjects, plain finds, anchored patterns.
    BOOST_TEST(s.error_of("assert(('torch==2.3.1'):match('^(%w+)==([%d.]+)$') == 'torch')\n"
                          "assert(string.rep('x', 1000000):find('y', 1, true) == nil)\n"
                          "assert(('a b  c'):gsub('%s+', ' ') == 'a b c')\n") == "");
    // Repetitions that cannot trade characters add up instead of multiplying: an
    // ordinary pattern finds a version in a 2 KB tool output...
    BOOST_TEST(s.error_of("local out = string.rep('npu-smi line\\n', 150) .. 'Version: 24.1.0'\n"
                          "assert(out:match('Version:%s*([%w%.%-]+)') == '24.1.0')\n") == "");
    // ...while overlapping ones competing for the same text are still refused.
    e = s.error_of("local out = string.rep('x', 2000)\nreturn out:match('(%w*)(%w*)(%w*)y')\n");
    BOOST_TEST(has(e, "step limit exceeded: string.match"), e);
    // Many small calls add up like any other work.
    e = s.error_of("for i = 1, 1e7 do local _ = ('abcdefgh'):find('c.-f') end\n");
    BOOST_TEST(has(e, "step limit exceeded"), e);
}

// gpuhost.regex_*: RE2, linear in the text whatever the pattern.
BOOST_AUTO_TEST_CASE(regex_functions_match_in_linear_time) {
    Sandbox s;
    auto v = s.engine->run_string(
        "local hits, lines = gpuhost.regex_scan('pip ok\\nRuntimeError: CUDA out of memory\\nNCCL error 2', "
        "{'cuda out of memory', 'nccl (error|warn)', 'not there', 'RUNTIMEERROR'})\n"
        "local a, b = gpuhost.regex_find('xx libcudart.so.12 yy', 'libcudart\\\\.so\\\\.(\\\\d+)')\n"
        "return {h1 = hits[1], h2 = hits[2], h3 = hits[3] or 0, h4 = hits[4], l2 = lines[2], l3 = lines[3],\n"
        "        a = a, b = b, bad = gpuhost.regex_check('(unclosed'), good = gpuhost.regex_check('a+b') or 'ok'}\n",
        "t").to_json().as_object();
    BOOST_TEST(v.at("h1").as_int64() == 2);
    BOOST_TEST(v.at("h2").as_int64() == 3);
    BOOST_TEST(v.at("h3").as_int64() == 0);
    BOOST_TEST(v.at("h4").as_int64() == 2);  // case is ignored
    BOOST_TEST(v.at("l2").as_string() == "RuntimeError: CUDA out of memory");
    BOOST_TEST(v.at("l3").as_string() == "NCCL error 2");
    BOOST_TEST(v.at("a").as_int64() == 4);
    BOOST_TEST(v.at("b").as_int64() == 18);
    BOOST_TEST(has(std::string(v.at("bad").as_string()), "missing )"));
    BOOST_TEST(v.at("good").as_string() == "ok");
    // Patterns that backtrack badly in Lua or PCRE, over a 4 MB line of near misses:
    // RE2 answers in linear time (bench/explain_bench.sh measures it).
    auto r = s.engine->run_string("local t = string.rep('a', 4000000)\n"
                                  "local hits = gpuhost.regex_scan(t, {'(a|aa)*b', '(.*)*c', 'a.*a.*a.*b'})\n"
                                  "return {n = #hits}\n",
                                  "t2").to_json().as_object();
    BOOST_TEST(r.at("n").as_int64() == 0);
    BOOST_TEST(has(s.error_of("return gpuhost.regex_scan('x', {'ok', '(bad'})\n"), "regex_scan: pattern 2"));
    BOOST_TEST(has(s.error_of("return gpuhost.regex_scan('x', {'ok', 5})\n"), "patterns[2] is not a string"));
}

// gpuhost.words: a log's distinct words in one pass, for the matcher's last resort.
BOOST_AUTO_TEST_CASE(words_splits_a_log_once_and_skips_numbers) {
    Sandbox s;
    auto v = s.engine->run_string(
        "local words, line_of, line_text = gpuhost.words('Fatal: libcudnn_ops.so.9 at 0x7f3c12\\n"
        "ok\\nFATAL again, deadbeef12 ab cafe')\n"
        "return {words = table.concat(words, ' '), fatal = line_of.fatal, again = line_of.again,\n"
        "        l1 = line_text[1], l3 = line_text[3], l2 = line_text[2] or 'none'}\n",
        "t").to_json().as_object();
    // Lower-cased, each once, in order; no hex numbers, nothing under 3 bytes or starting with a digit.
    BOOST_TEST(v.at("words").as_string() == "fatal libcudnn_ops again cafe");
    BOOST_TEST(v.at("fatal").as_int64() == 1);
    BOOST_TEST(v.at("again").as_int64() == 3);
    BOOST_TEST(v.at("l1").as_string() == "Fatal: libcudnn_ops.so.9 at 0x7f3c12");
    BOOST_TEST(v.at("l3").as_string() == "FATAL again, deadbeef12 ab cafe");
    BOOST_TEST(v.at("l2").as_string() == "none");  // a line that brought no new word is not handed back
    // A 50 MB run of letters is one word too long to keep, and costs no step of the script's limit.
    auto r = s.engine->run_string("local words = gpuhost.words(string.rep('a', 50000000) .. ' cuda')\n"
                                  "return {n = #words, w = words[1]}\n",
                                  "t2").to_json().as_object();
    BOOST_TEST(r.at("n").as_int64() == 1);
    BOOST_TEST(r.at("w").as_string() == "cuda");
}

BOOST_AUTO_TEST_CASE(module_functions_and_actions) {
    Sandbox s;
    s.engine->set_context("device", json::object{{"id", "cpu:0"}, {"backend", "cpu"}});
    std::vector<std::string> seen;
    s.engine->add_function(
        "install",
        [&](Call &c) {
            seen = c.strings(1);
            c.push(true);
        },
        Engine::Kind::action);
    BOOST_TEST(s.error_of("assert(gpuhost.device().backend == 'cpu')\n"
                          "assert(require('gpuhost') == gpuhost)\n"
                          "assert(gpuhost.plan() == nil)\n"
                          "assert(gpuhost.install({'numpy', '--upgrade'}) == true)\n") == "");
    BOOST_TEST(seen.size() == 2u);
    BOOST_REQUIRE(s.engine->actions().size() == 1u);
    BOOST_TEST(s.engine->actions()[0].name == "install");
    BOOST_TEST(s.engine->actions()[0].outcome == "ok");
    // A shell string where an argument list belongs is refused, and the refusal is logged too.
    std::string e = s.error_of("\ngpuhost.install('pip install numpy; rm -rf ~')\n");
    BOOST_TEST(has(e, "p.lua:2: gpuhost.install: argument 1 must be a list of strings"), e);
    BOOST_TEST(s.engine->actions().size() == 2u);
    BOOST_TEST(s.engine->actions()[1].outcome != "ok");
}

BOOST_AUTO_TEST_CASE(refs_outliving_the_engine_are_safe_to_drop) {
    Ref kept;
    {
        Engine engine(ScriptPath{});
        kept = engine.run_string("return {1, 2}", "t");
        BOOST_TEST(kept.to_json().as_array().size() == 2u);
    }
}

BOOST_AUTO_TEST_CASE(user_file_overrides_installed_file) {
    test::TempDir dir;
    dir.write("user/tables/pytorch.lua", "return 'user'");
    dir.write("installed/tables/pytorch.lua", "return 'installed'");
    dir.write("installed/tables/rocm.lua", "return 'installed rocm'");
    Engine engine(ScriptPath({dir / "user", dir / "installed"}));
    BOOST_TEST(engine.run_script("tables/pytorch.lua").to_json().as_string() == "user");
    BOOST_TEST(engine.run_script("tables/rocm.lua").to_json().as_string() == "installed rocm");
    auto listed = engine.script_path().list("tables");
    BOOST_REQUIRE(listed.size() == 2u);
    BOOST_TEST(listed[0].parent_path().parent_path().filename() == "user");
}
