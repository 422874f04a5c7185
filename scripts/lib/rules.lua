-- The recovery-rule matcher: loads rules/*.lua, checks their shape, and ranks
-- them against a failure text and the machine's facts.
--
-- Patterns are RE2 regular expressions (https://github.com/google/re2/wiki/Syntax),
-- matched line by line and ignoring case by gpuhost.regex_scan, which runs in
-- time linear in the log whatever the patterns: every pattern of every rule
-- goes into one set that is compiled once and read over the log in one pass
-- (the rules' hints into a second set, read only when no pattern matched).
-- Lua patterns are not used on logs: they backtrack, and one string.find on a
-- large log could run for minutes. The ranking stays here, in Lua, so it can
-- change without rebuilding the host.
--
-- Score of a rule = (number of its `any` patterns found) x confidence.
-- A `near` pair ({ "a", "b" }) counts like one `any` pattern when the first
-- lines a and b match are at most NEAR_LINES apart: a failure some programs
-- print over two lines ("render: /dev/dri/renderD128" ... "Permission denied").
-- A matching `none` pattern or a missing `all` pattern drops the rule.
-- A `when` condition on a known fact that does not hold multiplies the score by
-- WHEN_PENALTY: the rule ranks lower but is still shown. Unknown facts cost nothing.
-- A rule whose `when` conditions are confirmed (at least one known, none
-- failing) is multiplied by WHEN_BONUS: the same text ranks the WSL rule first
-- on WSL, the ROCm rule first on a ROCm box.
--
-- Facts come from the machine (the caller) and, for the ones it leaves
-- unknown, from the log itself (TEXT_FACTS): a kernel string such as
-- "microsoft-standard-WSL2" says WSL, "HIP error" or "gfx1030" says ROCm,
-- "C:\..." or ".dll" says Windows. The machine's facts always win.
-- A `when` value may be a list ({ os = { "linux", "windows" } }): any of them holds.
--
-- When no rule's patterns match at all, a rule's `hints` (words that name its
-- failure's family: "out of memory", "proxy", "libcudnn") rank it instead, at
-- HINT_WEIGHT of a pattern and marked by_keywords: a guess to show a person,
-- never a fix to apply. A text some pattern matches is never ranked by hints;
-- when several rules' patterns match, their hints only break near-ties. When
-- several rules' hints match, the words their failures share with the log
-- (below) add HINT_WORD_WEIGHT per unit of word score: one rule's hint more
-- still outweighs them, but a near-tie goes to the failure whose words the
-- log holds (bench/rules_arrival.sh --hints-vs-words measured it on the
-- development texts as they arrived: of 206 no pattern matched, gpuhost's
-- answer ranked 101 first before the words broke these ties, 105 after).
--
-- When not even a hint matches, the rules whose failures shared the most
-- words with the log (lib/word_guess.lua: weights learned from the
-- development texts) rank instead, at WORD_WEIGHT, marked by_keywords and
-- by_words: leads for a person, not a match (the host proposes no fix), so a
-- log is never left without one.
local M = {}
-- gfx_class, gfx_is_apu, gfx_override, capability_class: what the tables say about a GPU.
local targets = dofile("lib/gpu_targets.lua")
local word_guess = dofile("lib/word_guess.lua")

M.WHEN_PENALTY = 0.25
M.WHEN_BONUS = 1.5
M.NEAR_LINES = 3
M.HINT_WEIGHT = 0.1
M.HINT_TIE_WEIGHT = 0.01
M.WORD_WEIGHT = 0.01
M.HINT_WORD_WEIGHT = 0.01
-- The words shown as the evidence of a guess by words (the heaviest).
M.WORDS_SHOWN = 6

-- What a log says about the machine it came from. Per fact, the first value
-- whose patterns match wins, except that backend "cuda" only counts when no
-- other backend is named (ROCm and XPU tracebacks pass through torch/cuda/),
-- and a fact named with two different values stays unknown.
M.TEXT_FACTS = {
  { fact = "wsl", value = true, patterns = {
      "microsoft-standard", "\\b4\\.4\\.0-\\d+-microsoft\\b", "\\bwsl ?[12]?\\b", "/usr/lib/wsl/", "^/mnt/[c-z]/|[\"' ]/mnt/[c-z]/", "\\bwsl\\.exe\\b", "/dev/dxg" } },
  { fact = "os", value = "windows", patterns = {
      "\\b[c-z]:\\\\[[:alnum:]_ .-]+\\\\", "\\.dll\\b", "\\bwin(dows|32|_amd64)\\b", "\\.exe\\b", "\\bpowershell\\b" } },
  { fact = "os", value = "macos", patterns = {
      "\\bmac ?os\\b", "\\bdarwin\\b", "\\.dylib\\b", "\\bsw_vers\\b", "\\bos x\\b", "apple (m[1-4]|silicon)" } },
  { fact = "os", value = "linux", patterns = {
      "\\.so(\\.\\d+)*\\b", "\\bmodprobe\\b", "\\binsmod\\b", "\\bdmesg\\b", "\\b(ubuntu|debian|fedora|centos|rhel|arch linux)\\b",
      "/usr/(lib|local|bin)/", "/home/[[:alnum:]_.-]+/", "/dev/(kfd|dri|nvidia)" } },
  { fact = "backend", value = "rocm", patterns = {
      "\\brocm", "\\bhip\\b", "\\bhip(error|_)", "\\bgfx\\d{3,4}", "\\bhsa_", "\\bhipmalloc", "/dev/kfd", "\\bamdgpu(\\b|_)", "\\bradeon\\b",
      "\\b(lib)?amdhip64", "\\blib(rocblas|miopen|hsa-runtime64|rccl)",
      -- PyTorch's environment report (collect_env) naming an AMD GPU.
      "gpu models and configuration:[^\\n]*\\bamd\\b" } },
  { fact = "backend", value = "xpu", patterns = {
      "\\bxpu\\b", "level.?zero", "\\bze_result_", "\\bur_result_", "intel_extension_for_pytorch", "\\bipex\\b", "\\bsycl\\b", "\\blib(sycl|ze_loader)|\\bsycl\\d*\\.dll\\b", "intel-ext-pt-gpu", "\\bintel\\(r\\) arc\\b|\\barc a[357]\\d0\\b" } },
  -- Ollama's inventory line for an integrated GPU, and the name AMD gives every APU's GPU.
  { fact = "apu", value = true, patterns = { "\\btype=igpu\\b", "description=\"amd radeon\\(tm\\) graphics\"" } },
  -- `mokutil --sb-state` pasted into the log.
  { fact = "secure_boot", value = true, patterns = { "^secureboot enabled" } },
  { fact = "secure_boot", value = false, patterns = { "^secureboot disabled" } },
  { fact = "backend", value = "mps", patterns = { "\\bmps\\b", "metal performance shaders" } },
  -- Slurm's commands and daemon, and its job variables: the log came from a Slurm job.
  { fact = "slurm", value = true, patterns = {
      "^\\s*(\\$ )?(srun|sbatch|salloc)\\b", "\\b(srun|sbatch|salloc|slurmstepd): ", "\\bslurm_(job|step)_(id|gpus)\\b", "#sbatch\\b" } },
  { fact = "backend", value = "cuda", patterns = {
      "\\bcuda\\b", "\\bnvidia\\b", "\\bcudnn", "\\bnccl\\b", "\\bnvcc\\b", "\\bcudart", "\\bnvrtc", "\\bcuda_error_", "\\bcudaerror", "\\bcuinit\\b", "\\bcublas", "\\bnvml\\b" } },
}
-- The host of the package index a download failed on, read from the log for
-- ${index_host}: urllib3's "HTTPSConnectionPool(host='download.pytorch.org', ...)"
-- first, then pip's "Looking in indexes: <url>", then any URL. Each RE2 pattern
-- finds the line; the Lua capture beside it reads the host from that one line
-- (at most 300 bytes: gpuhost.regex_scan cuts them).
M.INDEX_HOST = {
  { pattern = "host='[[:alnum:].-]+'", capture = "host='([%w%.%-]+)'" },
  { pattern = "looking in indexes: https?://[[:alnum:].-]+", capture = "[Ll]ooking in indexes: https?://([%w%.%-]+)" },
  { pattern = "https?://[[:alnum:].-]+", capture = "https?://([%w%.%-]+)" },
}
M.SEVERITIES = { info = 1, warning = 2, error = 3, critical = 4 }
M.ACTIONS = { reinstall = true, set_env = true, purge_pip_cache = true, recreate_env = true, switch_cpu = true }
M.FACTS = { backend = "string", os = "string", wsl = "boolean", container = "boolean", secure_boot = "boolean",
  kfd_access = "boolean", render_access = "boolean", nvidia_driver_loaded = "boolean", nouveau_loaded = "boolean",
  gfx_class = "string", apu = "boolean", capability_class = "string", slurm = "boolean" }
-- A rule's `given`: one { when, any } or a list of them, each counting on its own machines.
local function givens_of(given)
  if given == nil then return {} end
  if type(given) == "table" and given.when == nil then return given end
  return { given }
end
local function fact_names()
  local names = {}
  for k in pairs(M.FACTS) do names[#names + 1] = k end
  table.sort(names)
  return table.concat(names, ", ")
end
local KEYS = { id = 1, patterns = 1, hints = 1, when = 1, given = 1, severity = 1, confidence = 1, diagnosis = 1, steps = 1, fix = 1 }

-- An AMD gfx target named in the log ("... for GPU arch : gfx1201"), when the
-- machine gave none. The first line naming one decides; a line naming several
-- ("rocm-sdk targets gfx1100;gfx1101") lists a build's targets, not the GPU.
M.GFX_IN_TEXT = "\\bgfx[0-9a-f]{3,4}\\b"
-- A Polaris card named by its model (RX 470/480/570/580/590, RX 460/560 Baffin)
-- when no line names a target: every one of them is gfx803.
M.POLARIS_IN_TEXT = "\\brx ?(4[6-8]|5[4-9])0\\b"

-- An NVIDIA GPU's compute capability named in the log, when the machine gave
-- none: "CUDA capability sm_35", "compute capability 3.5", "capability (12, 0)",
-- torch's "compute capability (CC) 12.0".
-- The RE2 pattern finds the line; the Lua captures read the number from it.
M.CAPABILITY_IN_TEXT = "capability:? (\\(cc\\) )?(sm_\\d{2,3}|\\d{1,2}\\.\\d)\\b|capability \\(\\d{1,2}, ?\\d\\)"
local CAPABILITY_CAPTURES = {
  { "capability:? sm_(%d%d%d?)", function(d) return d:sub(1, -2) .. "." .. d:sub(-1) end },
  { "capability:? (%d%d?%.%d)", function(v) return v end },
  { "capability %(cc%) (%d%d?%.%d)", function(v) return v end },
  { "capability %((%d%d?), ?(%d)%)", function(a, b) return a .. "." .. b end },
}
-- Words just before "capability" that make the number a requirement, not the GPU's.
local CAPABILITY_REQUIRED = { "requir", "minimum", "least", "need", ">=", "support" }

-- Problems with one rule, as "where: what" strings (empty when it is fine).
function M.validate(rule, where)
  local problems = {}
  local function bad(msg) problems[#problems + 1] = where .. ": " .. msg end
  if type(rule) ~= "table" then bad("a rule must be a table"); return problems end
  if type(rule.id) ~= "string" or not rule.id:match("^[%w_]+$") then bad("id must be a word (letters, digits, _)") end
  for k in pairs(rule) do
    if not KEYS[k] then bad("unknown key '" .. tostring(k) .. "'") end
  end
  -- Every entry of a pattern list must be a valid RE2 expression.
  local function check_patterns(list, name)
    for i, pat in ipairs(list) do
      if type(pat) ~= "string" then
        bad(("%s[%d] must be a string"):format(name, i))
      else
        local err = gpuhost.regex_check(pat)
        if err then bad(("%s[%d] %q is not a valid RE2 expression: %s"):format(name, i, pat, err)) end
      end
    end
  end
  local p = rule.patterns
  if type(p) ~= "table" or type(p.any) ~= "table" or #p.any == 0 then
    bad("patterns.any must list at least one pattern")
  else
    for _, kind in ipairs({ "any", "all", "none" }) do
      if p[kind] ~= nil and type(p[kind]) ~= "table" then bad("patterns." .. kind .. " must be a list") end
      check_patterns(type(p[kind]) == "table" and p[kind] or {}, "patterns." .. kind)
    end
    if p.near ~= nil then
      if type(p.near) ~= "table" then bad("patterns.near must be a list of { pattern, pattern } pairs") else
        for i, pair in ipairs(p.near) do
          if type(pair) ~= "table" or #pair ~= 2 then bad(("patterns.near[%d] must be a pair { pattern, pattern }"):format(i))
          else check_patterns(pair, ("patterns.near[%d]"):format(i)) end
        end
      end
    end
  end
  local function check_conditions(when, name)
    if type(when) ~= "table" then bad(name .. " must be a table"); return end
    for k, v in pairs(when) do
      if not M.FACTS[k] then bad(name .. "." .. tostring(k) .. " is not a known fact (" .. fact_names() .. ")")
      elseif type(v) == "table" then
        if #v == 0 then bad(name .. "." .. k .. " must not be an empty list") end
        for _, one in ipairs(v) do
          if type(one) ~= M.FACTS[k] then bad(name .. "." .. k .. " must list " .. M.FACTS[k] .. "s") end
        end
      elseif type(v) ~= M.FACTS[k] then bad(name .. "." .. k .. " must be a " .. M.FACTS[k] .. " or a list of them") end
    end
  end
  if rule.hints ~= nil then
    if type(rule.hints) ~= "table" or #rule.hints == 0 then bad("hints must list at least one pattern")
    else check_patterns(rule.hints, "hints") end
  end
  if rule.when ~= nil then check_conditions(rule.when, "when") end
  if rule.given ~= nil then
    local list = givens_of(rule.given)
    for i, g in ipairs(list) do
      local name = #list > 1 and ("given[" .. i .. "]") or "given"
      if type(g) ~= "table" or type(g.when) ~= "table" or next(g.when) == nil or type(g.any) ~= "table" or #g.any == 0 then
        bad(name .. " must be { when = { fact = value, ... }, any = { patterns } }")
      else
        check_conditions(g.when, name .. ".when")
        check_patterns(g.any, name .. ".any")
      end
    end
    if #list == 0 then bad("given must be { when = { fact = value, ... }, any = { patterns } } or a list of them") end
  end
  if not M.SEVERITIES[rule.severity] then bad("severity must be info, warning, error or critical") end
  if type(rule.confidence) ~= "number" or rule.confidence <= 0 or rule.confidence > 1 then
    bad("confidence must be a number in (0, 1]")
  end
  if type(rule.diagnosis) ~= "string" or #rule.diagnosis < 10 then bad("diagnosis must be a sentence") end
  if type(rule.steps) ~= "table" or #rule.steps == 0 then bad("steps must list at least one step") else
    for i, s in ipairs(rule.steps) do if type(s) ~= "string" then bad(("steps[%d] must be a string"):format(i)) end end
  end
  if rule.fix ~= nil then
    if type(rule.fix) ~= "table" or not M.ACTIONS[rule.fix.action] then
      bad("fix.action must be reinstall, set_env, purge_pip_cache, recreate_env or switch_cpu")
    elseif rule.fix.action == "set_env" and (type(rule.fix.name) ~= "string" or type(rule.fix.value) ~= "string") then
      bad("a set_env fix needs name and value strings")
    elseif rule.fix.action == "reinstall" and type(rule.fix.accelerator) ~= "string" then
      bad("a reinstall fix needs an accelerator (${gpu_build}, ${older_build}, ${accelerator}, or a tag)")
    end
  end
  return problems
end

-- A rule set: the rules of every module loaded, in load order, and the
-- problems found. Bad rules and files that fail to load are reported and left
-- out; the rest still work.
-- `patterns` holds every distinct pattern of the set once, `pattern_index`
-- its position there; each rule keeps the positions of its own. Hints live in
-- a pool of their own (`hints`, same shape), scanned only for a log no
-- pattern matches, so they cost nothing on the usual path.
local index_patterns

function M.new()
  local set = { rules = {}, by_id = {}, problems = {}, files = {}, patterns = {}, pattern_index = {}, text_facts = {},
    hints = { patterns = {}, pattern_index = {} } }
  for i, tf in ipairs(M.TEXT_FACTS) do
    set.text_facts[i] = { fact = tf.fact, value = tf.value, index = index_patterns(set, tf.patterns) }
  end
  set.index_host = {}
  for i, h in ipairs(M.INDEX_HOST) do set.index_host[i] = index_patterns(set, { h.pattern })[1] end
  set.gfx_in_text = index_patterns(set, { M.GFX_IN_TEXT })[1]
  set.polaris_in_text = index_patterns(set, { M.POLARIS_IN_TEXT })[1]
  set.capability_in_text = index_patterns(set, { M.CAPABILITY_IN_TEXT })[1]
  return set
end

function index_patterns(set, list)
  local out = {}
  for i, pat in ipairs(list or {}) do
    local at = set.pattern_index[pat]
    if not at then
      at = #set.patterns + 1
      set.patterns[at] = pat
      set.pattern_index[pat] = at
    end
    out[i] = at
  end
  return out
end

-- Adds the rules a rule file returned. `where` names the file in messages.
function M.add(set, list, where)
  if type(list) ~= "table" then
    set.problems[#set.problems + 1] = where .. ": must return a list of rules"
    return set
  end
  set.files[#set.files + 1] = where
  for i, rule in ipairs(list) do
    local here = ("%s: rule %d%s"):format(where, i, type(rule) == "table" and type(rule.id) == "string" and (" (" .. rule.id .. ")") or "")
    local problems = M.validate(rule, here)
    if #problems == 0 and set.by_id[rule.id] then
      problems[1] = here .. ": duplicate id, first defined in " .. set.by_id[rule.id].file
    end
    if #problems > 0 then
      for _, p in ipairs(problems) do set.problems[#set.problems + 1] = p end
    else
      local copy = { file = where }
      for k, v in pairs(rule) do copy[k] = v end
      copy.index = {
        any = index_patterns(set, rule.patterns.any),
        all = index_patterns(set, rule.patterns.all),
        none = index_patterns(set, rule.patterns.none),
        given = {},
        hints = index_patterns(set.hints, rule.hints),
        near = {},
      }
      for j, pair in ipairs(rule.patterns.near or {}) do copy.index.near[j] = index_patterns(set, pair) end
      for j, g in ipairs(givens_of(rule.given)) do copy.index.given[j] = { when = g.when, patterns = index_patterns(set, g.any) } end
      set.rules[#set.rules + 1] = copy
      set.by_id[rule.id] = copy
    end
  end
  return set
end

-- Loads rule modules by name ({"rules.nvidia", ...}) through require. A
-- module that fails to load is recorded as a problem with its file and line.
function M.load(modules)
  local set = M.new()
  for _, name in ipairs(modules) do
    local ok, list = pcall(require, name)
    if ok then M.add(set, list, name) else set.problems[#set.problems + 1] = tostring(list) end
  end
  return set
end

local function fact_text(v)
  if v == nil then return nil end
  return tostring(v)
end

-- Builds a rule suggests are computed from what the tables offer for the
-- failing device (facts.gpu_builds, best first, exactly what
-- `gpuhost plan --accelerator` accepts there), never written into a rule:
--   ${gpu_build}    the best GPU build offered; without a device, the
--                   planned build (facts.accelerator) when it is a GPU build
--   ${older_build}  the next build offered after the installed one; the best
--                   offered when the installed one is not offered at all
--                   (say the driver is too old for it)
function M.computed(name, facts)
  local builds = type(facts.gpu_builds) == "table" and facts.gpu_builds or nil
  local installed = facts.accelerator
  if name == "gpu_build" then
    if builds then return builds[1] end
    if type(installed) == "string" and installed ~= "" and installed ~= "cpu" then return installed end
    return nil
  end
  if name == "older_build" and builds then
    for i, b in ipairs(builds) do
      if b == installed then return builds[i + 1] end
    end
    return builds[1]
  end
  return nil
end

-- Fills ${name} from facts. Returns the text and the names it could not fill;
-- those read "<name>" so a person sees what to put there.
function M.expand(text, facts, missing)
  missing = missing or {}
  local out = text:gsub("%${([%w_]+)}", function(name)
    local v = type(facts[name]) ~= "table" and fact_text(facts[name]) or nil
    if name == "gfx_override" and v == nil then v = targets.gfx_override(facts.gfx) end
    if (name == "gpu_build" or name == "older_build") and v == nil then v = M.computed(name, facts) end
    if v == nil or v == "" then
      local seen = false
      for _, m in ipairs(missing) do seen = seen or m == name end
      if not seen then missing[#missing + 1] = name end
      return "<" .. name .. ">"
    end
    return v
  end)
  return out, missing
end

local function expand_fix(fix, facts)
  local out, missing = {}, {}
  for k, v in pairs(fix) do
    out[k] = type(v) == "string" and (M.expand(v, facts, missing)) or v
  end
  -- A fix with an unknown value is shown but must not be applied.
  out.ready = #missing == 0
  if #missing > 0 then out.missing = missing end
  return out
end

-- Which `when` conditions fail on the known facts, as readable strings.
-- Also says whether the conditions are confirmed: at least one known, none failing.
local function failed_conditions(rule, facts)
  local failed, confirmed = {}, false
  for k, want in pairs(rule.when or {}) do
    local have = facts[k]
    local wants = type(want) == "table" and want or { want }
    local holds = have == nil
    for _, w in ipairs(wants) do
      if have == w then holds, confirmed = true, true end
    end
    if not holds then
      local names = {}
      for i, w in ipairs(wants) do names[i] = tostring(w) end
      failed[#failed + 1] = ("%s is %s, the rule is for %s"):format(k, tostring(have), table.concat(names, " or "))
    end
  end
  table.sort(failed)
  return failed, confirmed
end

-- Whether every condition names a known fact that holds (unknown is not enough).
local function known_to_hold(when, known)
  for k in pairs(when) do
    if known[k] == nil then return false end
  end
  return #failed_conditions({ when = when }, known) == 0
end

-- The facts a log names (TEXT_FACTS) that `facts` leaves unknown, as
-- {fact = {value =, line =}}.
local function facts_from_text(set, hits, facts)
  local named = {}
  for _, tf in ipairs(set.text_facts) do
    if facts[tf.fact] == nil then
      local line
      for _, i in ipairs(tf.index) do
        if hits[i] and (not line or hits[i] < line) then line = hits[i] end
      end
      if line then
        named[tf.fact] = named[tf.fact] or {}
        named[tf.fact][#named[tf.fact] + 1] = { value = tf.value, line = line }
      end
    end
  end
  local out = {}
  for fact, values in pairs(named) do
    if fact == "backend" and #values > 1 then
      local others = {}
      for _, v in ipairs(values) do if v.value ~= "cuda" then others[#others + 1] = v end end
      values = others
    end
    if #values == 1 then out[fact] = values[1] end
  end
  return out
end

local function index_host(set, hits, lines)
  for i, at in ipairs(set.index_host or {}) do
    local line = hits[at] and lines[hits[at]]
    local host = line and line:match(M.INDEX_HOST[i].capture)
    if host then return host end
  end
  return nil
end

-- The one gfx target the first line naming any names, and that line.
local function gfx_from_text(set, hits, lines)
  local at = set.gfx_in_text and hits[set.gfx_in_text]
  if not at or not lines[at] then return nil end
  local found
  for g in lines[at]:lower():gmatch("gfx%x%x%x%x?") do
    if found and found ~= g then return nil end
    found = g
  end
  return found, at
end

-- The compute capability the first line naming one names, and that line
-- (nil when the line names the capability a program requires instead).
local function capability_from_text(set, hits, lines)
  local at = set.capability_in_text and hits[set.capability_in_text]
  if not at or not lines[at] then return nil end
  local line = lines[at]:lower()
  for _, c in ipairs(CAPABILITY_CAPTURES) do
    local from, _, a, b = line:find(c[1])
    if from then
      local before = line:sub(math.max(1, from - 30), from - 1)
      for _, word in ipairs(CAPABILITY_REQUIRED) do
        if before:find(word, 1, true) then return nil end
      end
      return c[2](a, b), at
    end
  end
  return nil
end

-- A rule one of whose `none` patterns matched, or one of whose `all` patterns did not.
local function dropped(rule, hits)
  for _, i in ipairs(rule.index.none) do
    if hits[i] then return true end
  end
  for _, i in ipairs(rule.index.all) do
    if not hits[i] then return true end
  end
  return false
end

-- A score with the rule's `when` conditions applied: lower when one fails, higher when they are confirmed.
local function with_conditions(score, rule, known)
  local failed, confirmed = failed_conditions(rule, known)
  if #failed > 0 then score = score * M.WHEN_PENALTY
  elseif confirmed then score = score * M.WHEN_BONUS end
  return score, failed
end

-- The rules whose patterns the log matches, unsorted, each with its score, the
-- patterns found and their lines. With `keywords` (the hint pool's scan:
-- { hits =, lines = }) the rules are ranked by their hints instead.
local function rank(set, hits, lines, known, keywords)
  local by_keywords = keywords ~= nil
  local found = {}
  for order, rule in ipairs(set.rules) do
    local idx = rule.index
    if not dropped(rule, hits) then
      local matched, why = {}, {}
      -- `given` patterns count only on a machine whose facts are known to
      -- hold: a text every failure of its kind prints ("couldn't communicate
      -- with the NVIDIA driver") means this rule only there (Secure Boot on).
      local groups, names, found_at, texts = { idx.any }, set.patterns, hits, lines
      if by_keywords then
        groups, names, found_at, texts = { idx.hints }, set.hints.patterns, keywords.hits, keywords.lines
      else
        for _, g in ipairs(idx.given) do
          if known_to_hold(g.when, known) then groups[#groups + 1] = g.patterns end
        end
      end
      -- A pattern counts once, however many of the rule's groups name it.
      local counted = {}
      for _, group in ipairs(groups) do
        for _, i in ipairs(group) do
          if found_at[i] and not counted[i] then
            counted[i] = true
            matched[#matched + 1] = names[i]
            why[#why + 1] = { pattern = names[i], line = found_at[i], text = texts[found_at[i]] }
          end
        end
      end
      for _, pair in ipairs(by_keywords and {} or idx.near) do
        local a, b = hits[pair[1]], hits[pair[2]]
        if a and b and math.abs(a - b) <= M.NEAR_LINES then
          matched[#matched + 1] = set.patterns[pair[1]] .. " near " .. set.patterns[pair[2]]
          for _, i in ipairs(pair) do
            why[#why + 1] = { pattern = set.patterns[i], line = hits[i], text = lines[hits[i]] }
          end
        end
      end
      if #matched > 0 then
        for _, i in ipairs(idx.all) do
          why[#why + 1] = { pattern = set.patterns[i], line = hits[i], text = lines[hits[i]], required = true }
        end
        table.sort(why, function(a, b)
          if a.line ~= b.line then return a.line < b.line end
          return a.pattern < b.pattern
        end)
        local score, failed = with_conditions(#matched * rule.confidence * (by_keywords and M.HINT_WEIGHT or 1), rule, known)
        found[#found + 1] = { rule = rule, hits = matched, why = why, failed = failed, score = score, order = order,
          by_keywords = by_keywords }
      end
    end
  end
  return found
end

-- The learned word weights (lib/word_weights.lua), read on first use: most
-- logs never need them.
local word_weights
local function learned_weights()
  if word_weights == nil then word_weights = dofile("lib/word_weights.lua").rules end
  return word_weights
end

-- Replaces the learned weights (a word_weights table's `rules`; nil reads the
-- file again): the quality bench learns them from part of the corpus and
-- measures on the rest.
function M.use_word_weights(rules) word_weights = rules end

-- The rules ranked by the words their failures share with the log, for a log
-- no pattern and no hint matched; `none` and `all` patterns still drop a rule.
local function rank_by_words(set, text, hits, known)
  local rules = {}
  for order, rule in ipairs(set.rules) do rules[rule.id] = { rule = rule, order = order } end
  local found = {}
  for _, guess in ipairs(word_guess.score(learned_weights(), text)) do
    local r = rules[guess.id]
    if r and not dropped(r.rule, hits) then
      local shown, why = {}, {}
      for i = 1, math.min(#guess.words, M.WORDS_SHOWN) do
        local w = guess.words[i]
        shown[i] = "word " .. w.word
        why[i] = { pattern = shown[i], line = w.line, text = w.text }
      end
      table.sort(why, function(a, b)
        if a.line ~= b.line then return a.line < b.line end
        return a.pattern < b.pattern
      end)
      local score, failed = with_conditions(guess.score * r.rule.confidence * M.WORD_WEIGHT, r.rule, known)
      found[#found + 1] = { rule = r.rule, hits = shown, why = why, failed = failed, score = score, order = r.order,
        by_keywords = true, by_words = true }
    end
  end
  return found
end

-- Ranks the set's rules against `text` (any case) and `facts` (a table of
-- backend, os, wsl, container, driver_version, gfx, python, venv, accelerator,
-- profile; missing ones are unknown). Returns the matches best first, at most
-- `top` of them (all when nil). Equal scores keep rule order, so the result
-- is the same every time; callers that need a clear winner compare scores.
-- `mode` as for M.matcher.
function M.match(set, text, facts, top, mode)
  facts = facts or {}
  -- hits[i]: the first line where set.patterns[i] matched; lines[n]: that line.
  local hits, lines = gpuhost.regex_scan(text, set.patterns)
  -- Placeholders the log itself fills: the index that failed is the one to test.
  if facts.index_host == nil then
    local host = index_host(set, hits, lines)
    if host then
      local with_host = { index_host = host }
      for k, v in pairs(facts) do with_host[k] = v end
      facts = with_host
    end
  end
  local from_text = facts_from_text(set, hits, facts)
  if facts.gfx == nil then
    local gfx, line = gfx_from_text(set, hits, lines)
    if not gfx and set.polaris_in_text and hits[set.polaris_in_text] then
      gfx, line = "gfx803", hits[set.polaris_in_text]
    end
    if gfx then
      from_text.gfx = { value = gfx, line = line }
      local with_gfx = { gfx = gfx }
      for k, v in pairs(facts) do with_gfx[k] = v end
      facts = with_gfx
    end
  end
  if facts.compute_capability == nil then
    local cc, line = capability_from_text(set, hits, lines)
    if cc then from_text.compute_capability = { value = cc, line = line } end
  end
  local known = {}
  for k, v in pairs(facts) do known[k] = v end
  for k, v in pairs(from_text) do known[k] = v.value end
  if known.gfx_class == nil then known.gfx_class = targets.gfx_class(known.gfx) end
  if known.capability_class == nil then known.capability_class = targets.capability_class(known.compute_capability) end
  if known.apu == nil then known.apu = targets.gfx_is_apu(known.gfx) end
  local found = (mode == "keywords" or mode == "words") and {} or rank(set, hits, lines, known)
  -- Several rules matched: each hint of a rule found in the log adds
  -- HINT_TIE_WEIGHT (a hundredth) of one of its patterns, enough to order
  -- near-equal scores by whose failure family the log also names. This scan
  -- and the fallback's below never both run.
  if #found > 1 then
    local hint_hits = gpuhost.regex_scan(text, set.hints.patterns)
    for _, f in ipairs(found) do
      local named = 0
      for _, i in ipairs(f.rule.index.hints) do
        if hint_hits[i] then named = named + 1 end
      end
      f.score = f.score + named * f.rule.confidence * M.HINT_TIE_WEIGHT
    end
  end
  -- Nothing matched: the rules whose hints the log names, as a marked guess.
  if #found == 0 and mode ~= "patterns" and mode ~= "words" then
    local hint_hits, hint_lines = gpuhost.regex_scan(text, set.hints.patterns)
    found = rank(set, hits, lines, known, { hits = hint_hits, lines = hint_lines })
    -- The learned words are not the rules: "rules" and "keywords" measure without them.
    if #found > 1 and mode == nil then
      local by_id = {}
      for _, g in ipairs(word_guess.score(learned_weights(), text)) do by_id[g.id] = g.score end
      for _, f in ipairs(found) do
        f.score = f.score + (by_id[f.rule.id] or 0) * f.rule.confidence * M.HINT_WORD_WEIGHT
      end
    end
  end
  -- Not even a hint: the rules whose failures shared its words, as a weaker guess.
  if #found == 0 and (mode == nil or mode == "words") then found = rank_by_words(set, text, hits, known) end
  table.sort(found, function(a, b)
    if a.score ~= b.score then return a.score > b.score end
    return a.order < b.order
  end)
  local result = {}
  for i, f in ipairs(found) do
    if top and i > top then break end
    local r, missing = f.rule, {}
    local steps = {}
    for j, s in ipairs(r.steps) do steps[j] = M.expand(s, facts, missing) end
    local m = {
      id = r.id,
      file = r.file,
      score = math.floor(f.score * 1000 + 0.5) / 1000,
      confidence = r.confidence,
      severity = r.severity,
      diagnosis = (M.expand(r.diagnosis, facts, missing)),
      steps = steps,
      matched = f.hits,
      why = f.why,
      conditions_met = #f.failed == 0,
      failed_conditions = f.failed,
    }
    if f.by_keywords then m.by_keywords = true end
    if f.by_words then m.by_words = true end
    if #missing > 0 then m.unfilled = missing end
    -- The facts this ranking read from the log rather than from the machine.
    local read = {}
    for fact, v in pairs(from_text) do
      read[#read + 1] = { fact = fact, value = tostring(v.value), line = v.line, text = lines[v.line] }
    end
    table.sort(read, function(a, b) return a.fact < b.fact end)
    if #read > 0 then m.facts_from_log = read end
    if r.fix then m.fix = expand_fix(r.fix, facts) end
    result[#result + 1] = m
  end
  return result
end

-- A function(text, facts, top) bound to one set, for callers that hold
-- only values (the host keeps this and calls it per failure).
-- mode: nil (patterns, then hints when none match, then words when no hint
-- matches), "rules" (patterns, then hints: no learned words), "patterns" (no
-- hints), "keywords" (hints only) or "words" (the learned words only): the
-- rules and each fallback alone, for measuring them.
function M.matcher(set)
  return function(text, facts, top, mode) return M.match(set, text, facts, top, mode) end
end

return M
