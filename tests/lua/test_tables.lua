-- tests/lua/test_tables.lua
--
-- Plain-Lua checks of the version tables (scripts/tables/) and the selection
-- functions (scripts/lib/choose.lua). Run from anywhere:
--
--   lua5.4 tests/lua/test_tables.lua            (repo root as cwd), or
--   lua5.4 tests/lua/test_tables.lua /path/to/repo
--
-- Exits non-zero on the first failing group; prints one line per check group.

local function script_dir()
  local src = debug.getinfo(1, "S").source
  local path = src:sub(1, 1) == "@" and src:sub(2) or src
  return path:match("^(.*)[/\\]") or "."
end

local root = arg and arg[1] or (script_dir() .. "/../..")
local function path(p) return root .. "/" .. p end

-- Load a file in a restricted environment, the way the C++ host will: plain
-- data tables get an empty environment, library code gets only pure helpers.
local SAFE = {
  string = string, table = table, math = math,
  ipairs = ipairs, pairs = pairs, next = next, select = select,
  type = type, tostring = tostring, tonumber = tonumber, error = error,
  pcall = pcall, setmetatable = setmetatable, getmetatable = getmetatable,
}
local function load_sandboxed(p, env)
  env = env or {}
  local chunk, err
  if setfenv then                         -- Lua 5.1 / LuaJIT
    chunk, err = loadfile(path(p))
    if chunk then setfenv(chunk, env) end
  else
    chunk, err = loadfile(path(p), "t", env)
  end
  assert(chunk, err)
  return chunk()
end

local version = load_sandboxed("scripts/lib/version.lua", setmetatable({}, { __index = SAFE }))
local tables = {}
for _, name in ipairs({ "nvidia_driver_cuda", "pytorch", "rocm", "intel", "apple", "frameworks" }) do
  tables[name] = load_sandboxed("scripts/tables/" .. name .. ".lua", {})   -- no globals at all
end
local generic = load_sandboxed("scripts/lib/choose.lua", setmetatable({}, { __index = SAFE }))(tables, version)
-- The built-in vendor folders' Lua, loaded as the host loads it: each sees
-- require("lib.tables") (here: the tables above) and lib.gpu_targets.
local lib_tables = { choose = generic, version = version, tables = tables,
                     table = function(name) return tables[name] end }
local gpu_targets = load_sandboxed("scripts/lib/gpu_targets.lua", setmetatable({}, { __index = SAFE }))
local vendor_env = setmetatable({ require = function(name)
  if name == "lib.gpu_targets" then return gpu_targets end
  assert(name == "lib.tables", "vendor scripts here may only require lib.tables and lib.gpu_targets, not " .. tostring(name))
  return lib_tables
end }, { __index = SAFE })
tables.vendors = {}
for _, name in ipairs({ "cuda", "rocm", "intel", "mps", "cpu" }) do
  tables.vendors[#tables.vendors + 1] = load_sandboxed("plugins/" .. name .. "/vendor.lua", vendor_env)
end
-- The generic chooser plus each vendor's own helpers (torch_cuda_tags lives in
-- plugins/cuda/vendor.lua, rocm_tag in plugins/rocm/vendor.lua, ...).
local choose = setmetatable({}, { __index = function(_, k) return generic[k] or generic.fn(k) end })

---------------------------------------------------------------------------
local failures, groups = 0, 0
local function check(name, fn)
  groups = groups + 1
  local ok, err = pcall(fn)
  if ok then
    print("ok   " .. name)
  else
    failures = failures + 1
    print("FAIL " .. name .. "\n     " .. tostring(err))
  end
end

local function eq(a, b, msg)
  if a ~= b then
    error((msg or "") .. " expected " .. tostring(b) .. ", got " .. tostring(a), 2)
  end
end
local function truthy(v, msg) if not v then error(msg or "expected truthy", 2) end end
local function falsy(v, msg) if v then error((msg or "expected nil/false") .. ", got " .. tostring(v), 2) end end
local function has(s, needle, msg)
  if type(s) ~= "string" or not s:find(needle, 1, true) then
    error((msg or "") .. " expected '" .. tostring(s) .. "' to contain '" .. needle .. "'", 2)
  end
end
local function contains(list, x)
  for _, v in ipairs(list or {}) do if v == x then return true end end
  return false
end

local V = version
local P = tables.pytorch

---------------------------------------------------------------------------
check("version: numeric comparison", function()
  truthy(V.gt("535.104.05", "535.54.03"))
  truthy(V.gt("2.10", "2.9"))
  truthy(V.lt("12.9", "12.10"))
  eq(V.compare("12", "12.0"), 0)
  eq(V.compare("580.65.06", "580.65.6"), 0)
  eq(table.concat(V.parse("2.8.0+cu128"), "."), "2.8.0")
  truthy(V.same_line("2.8.1", "2.8"))
  falsy(V.same_line("2.10.0", "2.1"))
  eq(V.prefix("12.4.1", 2), "12.4")
  truthy(not pcall(V.compare, "abc", "1.0"), "garbage must raise")
end)

check("nvidia table: known rows and minor-compat floors", function()
  local N = tables.nvidia_driver_cuda
  eq(choose.min_driver_for_cuda("12.4"), "550.54.14")
  eq(choose.min_driver_for_cuda("12.4", "windows"), "551.61")
  eq(choose.min_driver_for_cuda("11.8"), "520.61.05")
  eq(choose.min_driver_for_cuda("12.0"), "525.60.13")
  eq(choose.min_driver_for_cuda("13.0"), "580.65.06")
  eq(choose.min_driver_for_cuda("13.0", "windows"), nil)
  local floors = {}
  for _, r in ipairs(N.minor_compat) do floors[r.major] = r.linux end
  eq(floors[11], "450.80.02"); eq(floors[12], "525.60.13"); eq(floors[13], "580.65.06")
  -- every row parses, and GA minimums never go down as the toolkit goes up
  local prev_line, prev_min
  for _, line in ipairs(V.sorted((function()
      local seen, out = {}, {}
      for _, r in ipairs(N.toolkits) do
        truthy(V.parse(r.linux), "unparseable " .. tostring(r.linux))
        if not seen[r.cuda] then seen[r.cuda] = true; out[#out + 1] = r.cuda end
      end
      return out end)())) do
    local m = choose.min_driver_for_cuda(line)
    if prev_min then truthy(V.ge(m, prev_min), line .. " GA driver lower than " .. prev_line) end
    prev_line, prev_min = line, m
  end
  -- coverage 11.0 .. 13.0 at least
  for _, l in ipairs({ "11.0", "11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.8",
                       "12.0", "12.1", "12.2", "12.3", "12.4", "12.5", "12.6", "12.8", "12.9", "13.0" }) do
    truthy(choose.min_driver_for_cuda(l), "missing CUDA " .. l)
  end
end)

check("cuda_max_for_driver", function()
  eq(choose.cuda_max_for_driver("535.104.05"), "12.9")                     -- minor-version compat
  eq(choose.cuda_max_for_driver("535.104.05", { mode = "strict" }), "12.2")
  eq(choose.cuda_max_for_driver("550.54.14", { mode = "strict" }), "12.4")
  eq(choose.cuda_max_for_driver("525.60.13", { mode = "strict" }), "12.0")
  eq(choose.cuda_max_for_driver("580.65.06"), "13.2")
  eq(choose.cuda_max_for_driver("580.65.06", { mode = "strict" }), "13.0")
  eq(choose.cuda_max_for_driver("470.57.02"), "11.8")
  eq(choose.cuda_max_for_driver("470.57.02", { mode = "strict" }), "11.4")
  eq(choose.cuda_max_for_driver("450.80.02"), "11.8")
  eq(choose.cuda_max_for_driver("575.57.08", { mode = "strict" }), "12.9")
  eq(choose.cuda_max_for_driver("537.13", { os = "windows", mode = "strict" }), "12.2")
  eq(choose.cuda_max_for_driver("581.57", { os = "windows" }), "13.2")
  local v, why = choose.cuda_max_for_driver("440.33")
  falsy(v); has(why, "older than")
  falsy((choose.cuda_max_for_driver("garbage")))
end)

check("pytorch table: structure and sources of truth", function()
  local lines = {}
  for _, r in ipairs(P.releases) do lines[#lines + 1] = r.line end
  for _, want in ipairs({ "2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9",
                          "2.10", "2.11", "2.12", "2.13", "2.14" }) do
    truthy(contains(lines, want), "missing release " .. want)
  end
  for _, r in ipairs(P.releases) do
    truthy(V.same_line(r.torch, r.line), r.line .. " torch pin " .. r.torch)
    truthy(V.le(r.python.min, r.python.max), r.line .. " python range")
    truthy(r.torchvision or r.partial, r.line .. " torchvision")
    local tags = {}
    for _, e in ipairs(r.cuda) do
      tags[#tags + 1] = e.tag
      eq(choose.cuda_tag_version(e.tag), e.cuda, r.line .. " " .. e.tag)
      if e.select ~= false then truthy(e.sm and #e.sm > 0, r.line .. " " .. e.tag .. " arch list") end
    end
    truthy(contains(tags, r.pypi_default), r.line .. " pypi default " .. tostring(r.pypi_default))
  end
  eq(choose.index_url("cu128"), "https://download.pytorch.org/whl/cu128")
  -- spot facts
  eq(choose.release("2.0").pypi_default, "cu117")
  eq(choose.release("2.9").pypi_default, "cu128")
  eq(choose.release("2.11").pypi_default, "cu130")
  eq(choose.release("2.8").torchvision, "0.23.0")
  eq(choose.release("2.8.0+cu128").line, "2.8")
  eq(choose.release("2.10").line, "2.10")
  falsy(choose.release("1.13"))
end)

check("pytorch: cu128 of 2.8 dropped Maxwell/Pascal but kept Volta; 2.11 dropped Volta", function()
  local function arch(line, tag)
    for _, e in ipairs(choose.release(line).cuda) do if e.tag == tag then return e.sm end end
  end
  falsy(contains(arch("2.8", "cu128"), "5.0")); falsy(contains(arch("2.8", "cu128"), "6.0"))
  truthy(contains(arch("2.8", "cu128"), "7.0"))
  truthy(contains(arch("2.8", "cu126"), "5.0")); truthy(contains(arch("2.8", "cu126"), "6.0"))
  falsy(contains(arch("2.7", "cu128"), "7.0"))
  falsy(contains(arch("2.11", "cu128"), "7.0"))
  truthy(contains(arch("2.11", "cu126"), "7.0"))
  falsy(contains(arch("2.9", "cu130"), "7.0"))
  truthy(contains(arch("2.9", "cu130"), "12.0"))
  truthy(contains(arch("2.0", "cu118"), "3.7"))
  falsy(contains(arch("2.5", "cu124"), "3.7"))
end)

check("compute capability coverage follows CUDA binary compatibility", function()
  local sm = { "5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0" }
  eq((choose.cc_coverage("6.1", sm, {})), "sass")           -- sm_60 cubin runs on 6.1
  eq((choose.cc_coverage("8.9", sm, {})), "sass")           -- sm_86 cubin runs on Ada
  eq((choose.cc_coverage("3.5", { "3.7", "5.0" }, {})), nil) -- sm_37 cannot run on 3.5
  eq((choose.cc_coverage("12.0", sm, {})), nil)
  eq((choose.cc_coverage("12.1", { "10.0", "12.0" }, {})), "sass")
  eq((choose.cc_coverage("13.0", { "12.0" }, { "12.0" })), "ptx")
  eq(select(2, choose.cc_coverage("8.9", sm, {})), "sm_86")   -- the cubin that runs it
  eq(select(2, choose.cc_coverage("sm_121", { "10.0", "12.0" }, {})), "sm_120")
  eq(select(2, choose.cc_coverage("13.0", { "12.0" }, { "12.0" })), "compute_120 (PTX JIT)")
  eq(choose.normalize_cc("sm_86"), "8.6")
  eq(choose.normalize_cc("sm_120"), "12.0")
  eq(choose.normalize_cc("90a"), "9.0")
  eq(choose.normalize_cc(7.5), "7.5")
  eq(choose.normalize_cc("12"), "12.0"); eq(choose.normalize_cc("sm_100"), "10.0")
end)

check("driver 535 gets a cu12x tag, never cu13x", function()
  for _, r in ipairs(P.releases) do
    local has12 = false
    for _, e in ipairs(r.cuda) do
      if e.tag:match("^cu1[12]") and e.select ~= false then has12 = true end
    end
    local tag, why = choose.torch_cuda_tag(r.line, "535.104.05", { "8.6" })
    if has12 then
      truthy(tag, "no tag for " .. r.line)
      falsy(tag:match("^cu13"), r.line .. " gave " .. tag)
    else
      falsy(tag, r.line .. " has only CUDA 13 builds")   -- 2.15
      has(why, "580.65.06")
    end
  end
  -- with no release pinned, a 535 driver lands on the newest line that still
  -- has a 12.x build
  local acc = choose.accelerators({ backend = "cuda", driver_version = "535.104.05", architecture = "8.6" })
  truthy(acc[1].tag:match("^cu12"), acc[1].tag)
  eq((choose.torch_cuda_tag("2.9", "535.104.05", { "8.6" })), "cu128")
  eq((choose.torch_cuda_tag("2.12", "535.104.05", { "8.6" })), "cu126")
  -- strict mode: 535 only reaches 12.2, so 2.8 has nothing (12.6/12.8/12.9)
  local t, why = choose.torch_cuda_tag("2.8", "535.104.05", { "8.6" }, { mode = "strict" })
  falsy(t); has(why, "535.104.05")
end)

check("driver 580 gets cu13x where the release has it", function()
  for _, r in ipairs(P.releases) do
    local has13 = false
    for _, e in ipairs(r.cuda) do if e.tag:match("^cu13") then has13 = true end end
    local tag = choose.torch_cuda_tag(r.line, "580.65.06", { "8.6" })
    truthy(tag, "no tag for " .. r.line)
    if has13 then
      truthy(tag:match("^cu13"), r.line .. " should pick a cu13x tag, got " .. tag)
    else
      falsy(tag:match("^cu13"))
    end
  end
  eq((choose.torch_cuda_tag("2.9", "580.65.06", { "8.6" })), "cu130")
  eq((choose.torch_cuda_tag("2.8", "580.65.06", { "8.6" })), "cu129")
end)

check("cc 6.1 (Pascal) never gets a tag without kernels usable on sm_61", function()
  local drivers = { "535.104.05", "560.35.05", "580.65.06", "595.71.05" }
  for _, r in ipairs(P.releases) do
    for _, d in ipairs(drivers) do
      local tag, info = choose.torch_cuda_tag(r.line, d, { "6.1" })
      if tag then
        local e
        for _, x in ipairs(r.cuda) do if x.tag == tag then e = x end end
        local ok = false
        for _, s in ipairs(e.sm) do
          if V.major(s) == 6 and V.le(s, "6.1") then ok = true end
        end
        truthy(ok, r.line .. " " .. tag .. " has no sm_6x kernel <= 6.1")
        has(info.coverage["6.1"], "sm_6")
      end
    end
  end
  eq((choose.torch_cuda_tag("2.8", "580.65.06", { "6.1" })), "cu126")
  eq((choose.torch_cuda_tag("2.7", "580.65.06", { "6.1" })), "cu126")
  eq((choose.torch_cuda_tag("2.14", "595.71.05", { "6.1" })), "cu126")
  -- two GPUs: every capability must be covered by the same build
  eq((choose.torch_cuda_tag("2.9", "580.65.06", { "8.6", "6.1" })), "cu126")
  local none, why = choose.torch_cuda_tag("2.9", "580.65.06", { "12.0", "6.1" })
  falsy(none); has(why, "6.1"); has(why, "12.0")   -- no 2.9 wheel has both sm_60 and sm_120
end)

check("2.15 (partial): CUDA 13 only, so pre-Turing GPUs stay on 2.14", function()
  eq((choose.torch_cuda_tag("2.15", "580.65.06", { "8.6" })), "cu132")
  local acc = choose.accelerators({ backend = "cuda", driver_version = "580.65.06", architecture = "8.6" })
  eq(acc[1].release, "2.15"); eq(acc[1].tag, "cu132")
  acc = choose.accelerators({ backend = "cuda", driver_version = "580.65.06", architecture = "7.0" })
  eq(acc[1].release, "2.14"); eq(acc[1].tag, "cu126")
  local s = choose.packages("pytorch", "cu132")
  eq(s.release, "2.15"); eq(table.concat(s.packages, " "), "torch==2.15.0"); truthy(#s.notes >= 2)
  -- 2.15 needs Python >= 3.11: on 3.10 the newest usable line is 2.14
  acc = choose.accelerators({ backend = "cuda", driver_version = "580.65.06", architecture = "8.6" },
                            { python = "3.10" })
  eq(acc[1].release, "2.14"); eq(acc[#acc].release, "2.14")
  eq(choose.packages("pytorch", "cu132", nil, { python = "3.10.12" }).release, "2.14")
  truthy(choose.python_ok("2.0", "3.8")); falsy(choose.python_ok("2.9", "3.9"))
  -- AMD / Intel resolve to 2.14 (no 2.15 ROCm/xpu tags recorded)
  acc = choose.accelerators({ backend = "rocm", architecture = "gfx942" })
  eq(acc[1].release, "2.14")
  acc = choose.accelerators({ backend = "xpu", pci_id = "0xE20B" })
  eq(acc[1].release, "2.14")
end)

check("other architecture edge cases", function()
  -- RTX 50xx (12.0): nothing in 2.6, cu128 from 2.7
  local t, why = choose.torch_cuda_tag("2.6", "575.57.08", { "12.0" })
  falsy(t); has(why, "12.0")
  eq((choose.torch_cuda_tag("2.7", "575.57.08", { "12.0" })), "cu128")
  -- V100 (7.0) on 2.11 with a 13.x driver: only cu126 still has sm_70
  eq((choose.torch_cuda_tag("2.11", "580.65.06", { "7.0" })), "cu126")
  -- Kepler K80 (3.7) with an 11.x driver ends up on cu118
  local acc = choose.accelerators({ backend = "cuda", driver_version = "470.57.02", architecture = "3.7" })
  eq(acc[1].tag, "cu118"); eq(acc[1].release, "2.7"); eq(acc[#acc].tag, "cpu")
  -- K40 (3.5): no PyTorch 2.x build at all
  acc = choose.accelerators({ backend = "cuda", driver_version = "470.57.02", architecture = "3.5" })
  eq(#acc, 1); eq(acc[1].tag, "cpu"); has(acc[1].reason, "3.5")
  -- Windows driver numbering
  eq((choose.torch_cuda_tag("2.9", "581.57", { "8.9" }, { os = "windows" })), "cu130")
end)

check("accelerators: cuda ordering, newest first, cpu last", function()
  local acc = choose.accelerators({ backend = "cuda", driver_version = "535.104.05", architecture = "8.6" })
  eq(acc[1].tag, "cu126"); eq(acc[1].release, "2.14")
  eq(acc[#acc].tag, "cpu")
  truthy(acc[1].reason and #acc[1].reason > 0)
  acc = choose.accelerators({ backend = "cuda", driver_version = "580.65.06", architecture = "8.6" },
                            { release = "2.9" })
  eq(acc[1].tag, "cu130"); eq(acc[2].tag, "cu128"); eq(acc[3].tag, "cu126"); eq(acc[4].tag, "cpu")
  -- prefer_strict: cu130's own GA requirement (580.65.06) is met, cu132's
  -- (595.45.04) only through minor-version compatibility
  acc = choose.accelerators({ backend = "cuda", driver_version = "580.95.05", architecture = "8.6" },
                            { release = "2.14" })
  eq(acc[1].tag, "cu132"); eq(acc[1].driver_mode, "minor_compat")
  acc = choose.accelerators({ backend = "cuda", driver_version = "580.95.05", architecture = "8.6" },
                            { release = "2.14", prefer_strict = true })
  eq(acc[1].tag, "cu130"); eq(acc[1].driver_mode, "ga"); eq(acc[2].tag, "cu126"); eq(acc[3].tag, "cu132")
  -- a driver too old for any CUDA 11+ build
  acc = choose.accelerators({ backend = "cuda", driver_version = "440.33", architecture = "7.5" })
  eq(#acc, 1); eq(acc[1].tag, "cpu"); has(acc[1].reason, "older than any CUDA 11+")
  -- an 11.x-only driver falls back to the newest release that still has cu118
  acc = choose.accelerators({ backend = "cuda", driver_version = "470.57.02", architecture = "8.6" })
  eq(acc[1].tag, "cu118"); eq(acc[1].release, "2.7")
end)

check("rocm: gfx1031 gets the 10.3.0 override", function()
  local tag, env, info = choose.rocm_tag("2.8", "gfx1031")
  eq(tag, "rocm6.4")
  eq(env.HSA_OVERRIDE_GFX_VERSION, "10.3.0")
  eq(info.override_target, "gfx1030")
  for _, g in ipairs({ "gfx1032", "gfx1034", "gfx1035", "gfx1036" }) do
    local _, e = choose.rocm_tag("2.9", g)
    eq(e.HSA_OVERRIDE_GFX_VERSION, "10.3.0", g)
  end
  local acc = choose.accelerators({ backend = "rocm", architecture = "gfx1031" })
  eq(acc[1].backend, "rocm"); eq(acc[1].env.HSA_OVERRIDE_GFX_VERSION, "10.3.0"); eq(acc[#acc].tag, "cpu")
  -- rocminfo-style names with feature suffixes
  eq(choose.normalize_gfx("gfx90a:sramecc+:xnack-"), "gfx90a")
end)

check("rocm: native targets need no override; RDNA3 overrides only where the build lacks them", function()
  local tag, env = choose.rocm_tag("2.8", "gfx1030")
  eq(tag, "rocm6.4"); eq(next(env), nil)
  tag, env = choose.rocm_tag("2.5", "gfx1101")
  eq(tag, "rocm6.2"); eq(env.HSA_OVERRIDE_GFX_VERSION, "11.0.0")
  tag, env = choose.rocm_tag("2.6", "gfx1101")
  eq(tag, "rocm6.2.4"); eq(next(env), nil)
  tag, env = choose.rocm_tag("2.12", "gfx1103")
  eq(env.HSA_OVERRIDE_GFX_VERSION, "11.0.0")
  tag, env = choose.rocm_tag("2.13", "gfx1103")
  eq(tag, "rocm7.2"); eq(next(env), nil)
  -- RDNA4 first appears in 2.7
  falsy((choose.rocm_tag("2.6", "gfx1201")))
  eq((choose.rocm_tag("2.7", "gfx1201")), "rocm6.3")
  -- ROCm 7.14 builds drop gfx906, so 2.14 has nothing for it and the newest
  -- usable release is 2.13
  falsy((choose.rocm_tag("2.14", "gfx906")))
  local acc = choose.accelerators({ backend = "rocm", architecture = "gfx906" })
  eq(acc[1].release, "2.13"); eq(acc[1].tag, "rocm7.2")
end)

check("rocm: gfx803 has no supported build and falls back to cpu", function()
  local tag, why = choose.rocm_tag("2.8", "gfx803")
  falsy(tag)
  has(why, "no supported ROCm build")
  has(why, "4.0")
  local acc = choose.accelerators({ backend = "rocm", architecture = "gfx803" })
  eq(#acc, 1)
  eq(acc[1].tag, "cpu")
  has(acc[1].reason, "no supported ROCm build")
  -- RDNA1 likewise
  local t2, why2 = choose.rocm_tag("2.9", "gfx1010")
  falsy(t2); has(why2, "gfx1010")
end)

check("intel: old integrated graphics -> cpu; Arc / Core Ultra -> xpu", function()
  local acc = choose.accelerators({ backend = "xpu", name = "Intel(R) UHD Graphics 630" })
  eq(#acc, 1); eq(acc[1].tag, "cpu"); has(acc[1].reason, "validated")
  acc = choose.accelerators({ backend = "xpu", pci_id = "0x46A6", name = "Intel(R) Iris(R) Xe Graphics" })
  eq(acc[1].tag, "cpu")
  acc = choose.accelerators({ backend = "xpu", name = "Intel(R) Iris(R) Xe Graphics" })
  eq(acc[1].tag, "cpu")
  acc = choose.accelerators({ backend = "xpu", pci_id = "0x56A0", name = "Intel(R) Arc(TM) A770 Graphics" })
  eq(acc[1].tag, "xpu"); eq(acc[1].index_url, "https://download.pytorch.org/whl/xpu"); eq(acc[2].tag, "cpu")
  acc = choose.accelerators({ backend = "xpu", name = "Intel(R) Arc(TM) B580 Graphics" })
  eq(acc[1].tag, "xpu")
  acc = choose.accelerators({ backend = "xpu", name = "Intel(R) Arc(TM) 140V GPU (16GB)" })
  eq(acc[1].tag, "xpu"); eq(acc[1].family, "lnl")
  acc = choose.accelerators({ backend = "xpu", name = "Intel(R) Arc(TM) Graphics" })
  eq(acc[1].tag, "xpu"); eq(acc[1].family, "mtl")
  acc = choose.accelerators({ backend = "xpu", pci_id = "8086:e20b" })
  eq(acc[1].tag, "xpu"); eq(acc[1].family, "bmg")
  -- xpu wheels start at 2.5
  acc = choose.accelerators({ backend = "xpu", pci_id = "0x56A0" }, { release = "2.4" })
  eq(acc[1].tag, "cpu")
  eq(tables.intel.min_torch, "2.5")
end)

check("apple: MPS needs arm64 and macOS 12.3+; newer torch needs newer macOS", function()
  eq(tables.apple.mps_min_macos[1].macos, "12.3")
  eq(tables.apple.wheel_min_macos, "11.0")
  local acc = choose.accelerators({ backend = "mps", macos_version = "12.3" })
  eq(acc[1].tag, "mps"); eq(acc[1].release, "2.4"); eq(acc[#acc].tag, "cpu")
  eq(acc[#acc].index_url, nil)                   -- macOS cpu wheels come from PyPI
  acc = choose.accelerators({ backend = "mps", macos_version = "13.6" })
  eq(acc[1].tag, "mps"); eq(acc[1].release, "2.8")
  acc = choose.accelerators({ backend = "mps", macos_version = "14.5" })
  eq(acc[1].tag, "mps"); eq(acc[1].release, choose.newest_release().line)
  acc = choose.accelerators({ backend = "mps", macos_version = "12.2" })
  eq(#acc, 1); eq(acc[1].tag, "cpu"); has(acc[1].reason, "12.3")
  acc = choose.accelerators({ backend = "mps", macos_version = "14.5", arch = "x86_64" })
  eq(acc[1].tag, "cpu")
  eq(choose.mps_min_macos("2.9"), "14.0")
  eq(choose.mps_min_macos("2.5"), "13.0")
end)

check("cpu device -> cpu only", function()
  local acc = choose.accelerators({ backend = "cpu" })
  eq(#acc, 1); eq(acc[1].tag, "cpu"); eq(acc[1].index_url, "https://download.pytorch.org/whl/cpu")
end)

check("packages: pytorch", function()
  local s = choose.packages("pytorch", "cu128", "2.8")
  eq(s.index_url, "https://download.pytorch.org/whl/cu128")
  eq(table.concat(s.packages, " "), "torch==2.8.0 torchvision==0.23.0 torchaudio==2.8.0")
  eq(#s.extra_index_urls, 0)
  s = choose.packages("pytorch", "cu132", "2.12")
  eq(table.concat(s.packages, " "), "torch==2.12.1 torchvision==0.27.1")   -- no torchaudio 2.12
  truthy(#s.notes > 0)
  local none, why = choose.packages("pytorch", "cu128", "2.12")         -- 12.8 removed in 2.12
  falsy(none); has(why, "no cu128")
  s = choose.packages("pytorch", "cu128")                                 -- newest line with cu128
  eq(s.release, "2.11")
  s = choose.packages("pytorch", "rocm6.4", "2.8", { gfx = "gfx1031" })
  eq(s.index_url, "https://download.pytorch.org/whl/rocm6.4")
  eq(s.env.HSA_OVERRIDE_GFX_VERSION, "10.3.0")
  s = choose.packages("pytorch", "xpu", "2.8")
  eq(s.index_url, "https://download.pytorch.org/whl/xpu")
  falsy((choose.packages("pytorch", "xpu", "2.4")))
  s = choose.packages("pytorch", "mps", "2.8")
  eq(s.index_url, nil)
  s = choose.packages("pytorch", "cpu", "2.8")
  eq(s.index_url, "https://download.pytorch.org/whl/cpu")
  s = choose.packages("pytorch", "cu129", "2.9")                          -- 2.9.0-only, unofficial
  eq(s.packages[1], "torch==2.9.0")
end)

check("packages: cupy / jax / tensorflow / onnxruntime / numpy", function()
  eq(choose.packages("cupy", "cu118").packages[1], "cupy-cuda11x<14")
  eq(choose.packages("cupy", "cu128").packages[1], "cupy-cuda12x[ctk]>=14")
  eq(choose.packages("cupy", "cu130").packages[1], "cupy-cuda13x[ctk]>=14")
  eq(choose.packages("cupy", "rocm5.7").packages[1], "cupy-rocm-5-0<14")
  eq(choose.packages("cupy", "rocm7.2").packages[1], "cupy-rocm-7-0>=14")
  local none, why = choose.packages("cupy", "rocm6.4")
  falsy(none); has(why, "ROCm 6")
  eq(choose.packages("cupy", "cpu").packages[1], "numpy")

  eq(choose.packages("jax", "cu128").packages[1], "jax[cuda12]>=0.4.30")
  eq(choose.packages("jax", "cu130").packages[1], "jax[cuda13]>=0.7")
  none, why = choose.packages("jax", "cu128", nil, { driver_version = "520.61.05" })
  falsy(none); has(why, "525.60.13")
  none = choose.packages("jax", "cu128", nil, { os = "windows" })
  falsy(none)
  none, why = choose.packages("jax", "cu128", nil, { ccs = { "5.0" } })
  falsy(none); has(why, "5.2")
  eq(choose.packages("jax", "cpu").packages[1], "jax")

  eq(choose.packages("tensorflow", "cu126", nil, { os = "linux" }).packages[1], "tensorflow[and-cuda]")
  eq(choose.packages("tensorflow", "cu118").packages[1], "tensorflow[and-cuda]==2.14.*")
  eq(choose.packages("tensorflow", "cpu").packages[1], "tensorflow-cpu")

  eq(choose.packages("onnxruntime", "cu126").packages[1], "onnxruntime-gpu[cuda,cudnn]>=1.21,<1.27")
  eq(choose.packages("onnxruntime", "cu130").packages[1], "onnxruntime-gpu[cuda,cudnn]>=1.27")
  falsy((choose.packages("onnxruntime", "cu130", nil, { driver_version = "570.124.06" })))
  local s = choose.packages("onnxruntime", "cu118")
  has(s.index_url, "onnxruntime-cuda-11")
  falsy((choose.packages("onnxruntime", "rocm6.4")))
  eq(choose.packages("onnxruntime", "rocm7.2").packages[1], "onnxruntime-migraphx")
  -- No built-in vendor publishes "directml": the frameworks table's row is reached
  -- once a vendor folder owns the tag (a DirectML vendor would ship this).
  falsy((choose.packages("onnxruntime", "directml", nil, { os = "windows" })))
  tables.vendors[#tables.vendors + 1] = { backends = { "directml" }, accelerators = function() return {} end }
  eq(choose.packages("onnxruntime", "directml", nil, { os = "windows" }).packages[1], "onnxruntime-directml")
  table.remove(tables.vendors)
  eq(choose.packages("numpy", "cpu").packages[1], "numpy")
  falsy((choose.packages("nosuchframework", "cpu")))
end)

---------------------------------------------------------------------------
print(string.format("%d group(s), %d failure(s)", groups, failures))
if failures > 0 then os.exit(1) end
