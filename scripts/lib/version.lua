-- scripts/lib/version.lua
--
-- Small, dependency-free helpers for comparing dotted version strings
-- numerically ("535.104.05" < "535.129.03", "12.10" > "12.9", "2.10" > "2.9").
--
-- No I/O, no require: the host loads this file and hands the returned table
-- to scripts/lib/choose.lua (see that file's header).

local V = {}

-- Split a version-like string into its numeric components.
--   "535.104.05"     -> {535, 104, 5}
--   "v2.8.0+cu128"   -> {2, 8, 0}      (stops at the first non-numeric part)
--   "12"             -> {12}
--   13 (a number)    -> {13}
-- Returns nil when the string does not start with a number.
function V.parse(s)
  if type(s) == "number" then s = tostring(s) end
  if type(s) == "table" then return s end
  if type(s) ~= "string" then return nil end
  s = s:match("^%s*[vV]?(.-)%s*$")
  local parts = {}
  for piece in s:gmatch("[^.]+") do
    local n = piece:match("^(%d+)")
    if not n then break end
    parts[#parts + 1] = tonumber(n)
    if n ~= piece then break end -- "0+cu128", "1rc1": keep the number, stop there
  end
  if #parts == 0 then return nil end
  return parts
end

-- Three-way compare. Missing trailing components count as 0, so
-- compare("12", "12.0") == 0. Unparseable input raises an error: silently
-- ordering garbage would turn a bad driver string into a wrong answer.
function V.compare(a, b)
  local pa, pb = V.parse(a), V.parse(b)
  if not pa then error("version.compare: cannot parse " .. tostring(a), 2) end
  if not pb then error("version.compare: cannot parse " .. tostring(b), 2) end
  local n = math.max(#pa, #pb)
  for i = 1, n do
    local x, y = pa[i] or 0, pb[i] or 0
    if x < y then return -1 end
    if x > y then return 1 end
  end
  return 0
end

function V.lt(a, b) return V.compare(a, b) < 0 end
function V.le(a, b) return V.compare(a, b) <= 0 end
function V.gt(a, b) return V.compare(a, b) > 0 end
function V.ge(a, b) return V.compare(a, b) >= 0 end
function V.eq(a, b) return V.compare(a, b) == 0 end

-- True when lo <= v <= hi; either bound may be nil (open).
function V.between(v, lo, hi)
  if lo and V.lt(v, lo) then return false end
  if hi and V.gt(v, hi) then return false end
  return true
end

-- First n components joined with dots: prefix("12.4.1", 2) -> "12.4".
function V.prefix(s, n)
  local p = V.parse(s)
  if not p then return nil end
  local out = {}
  for i = 1, n do out[i] = tostring(p[i] or 0) end
  return table.concat(out, ".")
end

function V.major(s)
  local p = V.parse(s)
  return p and p[1] or nil
end

-- Same release line: same_line("2.8.0", "2.8") -> true (compares the first
-- #line components of `line`).
function V.same_line(v, line)
  local pv, pl = V.parse(v), V.parse(line)
  if not pv or not pl then return false end
  for i = 1, #pl do
    if (pv[i] or 0) ~= pl[i] then return false end
  end
  return true
end

-- Sorted copy, ascending (descending when `desc` is true).
function V.sorted(list, desc)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  table.sort(out, function(a, b)
    if desc then return V.gt(a, b) end
    return V.lt(a, b)
  end)
  return out
end

function V.max(list)
  local best
  for _, v in ipairs(list) do
    if best == nil or V.gt(v, best) then best = v end
  end
  return best
end

return V
