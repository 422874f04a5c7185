// The recovery rule matcher over a failure log (pip's, a smoke test's): the
// rules (scripts/rules/*.lua) scanned by gpuhost.regex_scan (RE2, lua/
// regex_module.cpp) and ranked by lib/rules.lua, with fixes filled from
// facts. The log is outside data; no text may make the matcher fail, and the
// matches come best first. The first byte picks the facts.
#include "fuzz_support.hpp"

#include "lua/engine.hpp"
#include "lua/script_path.hpp"
#include "recover/diagnose.hpp"
#include "recover/rule_book.hpp"

#include <memory>

#ifndef GPUHOST_FUZZ_SCRIPTS
#error "GPUHOST_FUZZ_SCRIPTS: the source scripts/ folder"
#endif

using namespace gpuhost;

static recover::Facts facts_for(std::uint8_t pick) {
    recover::Facts f;
    static const char *backends[] = {"", "cuda", "rocm", "xpu", "mps", "cpu", "vulkan", "opencl"};
    f.backend = backends[pick & 7];
    f.os = (pick & 8) ? "linux" : "";
    if (pick & 16) f.wsl = (pick & 32) != 0;
    if (pick & 64) f.container = true;
    if (pick & 128) {
        f.driver_version = "535.104.05";
        f.gfx = "gfx1031";
        f.python = "/env/bin/python";
        f.venv = "/env";
        f.accelerator = "cu121";
        f.profile = "pytorch";
    }
    return f;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static lua::Engine engine{lua::ScriptPath({GPUHOST_FUZZ_SCRIPTS})};
    static recover::RuleBook rules{engine};
    if (size == 0) return 0;
    std::string log = fuzz::text(data + 1, size - 1);
    recover::DiagnoseOptions options;
    options.auto_fix = true;
    options.top = 0;
    auto d = recover::diagnose(rules, log, facts_for(data[0]), options);
    for (std::size_t i = 1; i < d.matches.size(); ++i)
        FUZZ_CHECK(d.matches[i - 1].score >= d.matches[i].score, d.matches[i].id);
    for (const auto &m : d.matches)
        for (const auto &e : m.why) FUZZ_CHECK(e.text.size() <= 300 && e.line >= 1, m.id);
    d.summary();
    d.to_json();
    return 0;
}
