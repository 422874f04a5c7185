-- The recovery-rule matcher: loads rules/*.lua, checks their shape, and ranks
-- them against a failure text and the machine's facts.
--
-- It is Lua, not C++, because the rules' patterns are Lua patterns: string.find
-- is their reference implementation, and the ranking can change without
-- rebuilding the host. It uses only the string and table libraries, so it also
-- runs under a plain lua5.4.
--
-- Score of a rule = (number of its `any` patterns found) x confidence.
-- A matching `none` pattern or a missing `all` pattern drops the rule.
-- A `when` condition on a known fact that does not hold multiplies the score by
-- WHEN_PENALTY: the rule ranks lower but is still shown. Unknown facts cost nothing.
local M = {}

M.WHEN_PENALTY = 0.25
M.SEVERITIES = { info = 1, warning = 2, error = 3, critical = 4 }
M.ACTIONS = { reinstall = true, set_env = true, purge_pip_cache = true, recreate_env = true, switch_cpu = true }
M.FACTS = { backend = "string", os = "string", wsl = "boolean", container = "boolean" }
local KEYS = { id = 1, patterns = 1, when = 1, severity = 1, confidence = 1, diagnosis = 1, steps = 1, fix = 1 }

-- HSA_OVERRIDE_GFX_VERSION for targets the ROCm libraries lack, from the
-- families the rules name (RDNA2 gfx103x -> 10.3.0, RDNA3 gfx110x -> 11.0.0).
function M.gfx_override(gfx)
  if type(gfx) ~= "string" then return nil end
  gfx = gfx:lower()
  if gfx:match("^gfx103%x$") then return "10.3.0" end
  if gfx:match("^gfx110%x$") then return "11.0.0" end
  return nil
end

-- Problems with one rule, as "where: what" strings (empty when it is fine).
function M.validate(rule, where)
  local problems = {}
  local function bad(msg) problems[#problems + 1] = where .. ": " .. msg end
  if type(rule) ~= "table" then bad("a rule must be a table"); return problems end
  if type(rule.id) ~= "string" or not rule.id:match("^[%w_]+$") then bad("id must be a word (letters, digits, _)") end
  for k in pairs(rule) do
    if not KEYS[k] then bad("unknown key '" .. tostring(k) .. "'") end
  end
  local p = rule.patterns
  if type(p) ~= "table" or type(p.any) ~= "table" or #p.any == 0 then
    bad("patterns.any must list at least one pattern")
  else
    for _, kind in ipairs({ "any", "all", "none" }) do
      if p[kind] ~= nil and type(p[kind]) ~= "table" then bad("patterns." .. kind .. " must be a list") end
      for i, pat in ipairs(type(p[kind]) == "table" and p[kind] or {}) do
        if type(pat) ~= "string" then
          bad(("patterns.%s[%d] must be a string"):format(kind, i))
        else
          local ok, err = pcall(string.find, "", pat)
          if not ok then bad(("patterns.%s[%d] %q is not a Lua pattern: %s"):format(kind, i, pat, err)) end
          -- The text is lower-cased before matching; upper-case letters outside %-escapes never match.
          if pat:gsub("%%.", ""):find("%u") then bad(("patterns.%s[%d] %q has upper-case letters"):format(kind, i, pat)) end
        end
      end
    end
  end
  if rule.when ~= nil then
    if type(rule.when) ~= "table" then bad("when must be a table") else
      for k, v in pairs(rule.when) do
        if not M.FACTS[k] then bad("when." .. tostring(k) .. " is not a known fact (backend, os, wsl, container)")
        elseif type(v) ~= M.FACTS[k] then bad("when." .. k .. " must be a " .. M.FACTS[k]) end
      end
    end
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
      bad("a reinstall fix needs an accelerator (a tag, \"older\", or ${accelerator})")
    end
  end
  return problems
end

-- A rule set: the rules of every module loaded, in load order, and the
-- problems found. Bad rules and files that fail to load are reported and left
-- out; the rest still work.
function M.new()
  return { rules = {}, by_id = {}, problems = {}, files = {} }
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

-- Fills ${name} from facts. Returns the text and the names it could not fill;
-- those read "<name>" so a person sees what to put there.
function M.expand(text, facts, missing)
  missing = missing or {}
  local out = text:gsub("%${([%w_]+)}", function(name)
    local v = fact_text(facts[name])
    if name == "gfx_override" and v == nil then v = M.gfx_override(facts.gfx) end
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
local function failed_conditions(rule, facts)
  local failed = {}
  for k, want in pairs(rule.when or {}) do
    local have = facts[k]
    if have ~= nil and have ~= want then
      failed[#failed + 1] = ("%s is %s, the rule is for %s"):format(k, tostring(have), tostring(want))
    end
  end
  table.sort(failed)
  return failed
end

-- Ranks the set's rules against `text` (any case) and `facts` (a table of
-- backend, os, wsl, container, driver_version, gfx, python, venv, accelerator,
-- profile; missing ones are unknown). Returns the matches best first, at most
-- `top` of them (all when nil). Equal scores keep rule order, so the result
-- is the same every time; callers that need a clear winner compare scores.
function M.match(set, text, facts, top)
  facts = facts or {}
  local lower = text:lower()
  local found = {}
  for order, rule in ipairs(set.rules) do
    local p = rule.patterns
    local dropped = false
    for _, pat in ipairs(p.none or {}) do
      if lower:find(pat) then dropped = true; break end
    end
    if not dropped then
      for _, pat in ipairs(p.all or {}) do
        if not lower:find(pat) then dropped = true; break end
      end
    end
    if not dropped then
      local hits = {}
      for _, pat in ipairs(p.any) do
        if lower:find(pat) then hits[#hits + 1] = pat end
      end
      if #hits > 0 then
        local failed = failed_conditions(rule, facts)
        local score = #hits * rule.confidence
        if #failed > 0 then score = score * M.WHEN_PENALTY end
        found[#found + 1] = { rule = rule, hits = hits, failed = failed, score = score, order = order }
      end
    end
  end
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
      conditions_met = #f.failed == 0,
      failed_conditions = f.failed,
    }
    if #missing > 0 then m.unfilled = missing end
    if r.fix then m.fix = expand_fix(r.fix, facts) end
    result[#result + 1] = m
  end
  return result
end

-- A function(text, facts, top) bound to one set, for callers that hold
-- only values (the host keeps this and calls it per failure).
function M.matcher(set)
  return function(text, facts, top) return M.match(set, text, facts, top) end
end

return M
