-- scripts/lib/choose.lua
--
-- The generic chooser. It knows no vendor: each vendor folder's Lua
-- (sdk/docs/VENDORS.md) offers the builds for its own devices, and this file
-- asks the vendor that owns a device's backend, then ends the list with the
-- last-resort vendor's build (the one whose table says `last_resort = true`).
-- What stays here is vendor-neutral: PyTorch release lines, Python ranges,
-- the package list of a PyTorch release, the frameworks table.
--
-- No I/O, no require, no globals: the host (or a test) passes the tables, the
-- version helper and the vendors in:
--
--   local choose = dofile("scripts/lib/choose.lua")(tables, version)
--
-- tables.pytorch and tables.frameworks are read here; tables.vendors is a list
-- of vendor tables or a function returning one (the host's gpuhost.vendors).
--
-- Conventions: failures return nil plus a human-readable reason string;
-- versions are compared numerically through the version helper.

return function(tables, version)
  local V = version or (tables and tables.version)
  if type(V) ~= "table" or type(V.compare) ~= "function" then
    error("choose.lua: pass the version helper (scripts/lib/version.lua) as the second argument", 2)
  end
  local PT = tables.pytorch
  local FW = tables.frameworks
  for name, t in pairs({ pytorch = PT, frameworks = FW }) do
    if type(t) ~= "table" then
      error("choose.lua: missing table '" .. name .. "'", 2)
    end
  end

  local C = {}

  ---------------------------------------------------------------------------
  -- small helpers (vendors use them too)
  ---------------------------------------------------------------------------
  local function contains(list, x)
    if not list then return false end
    for _, v in ipairs(list) do if v == x then return true end end
    return false
  end

  local function copy(t)
    if type(t) ~= "table" then return t end
    local out = {}
    for k, v in pairs(t) do out[k] = copy(v) end
    return out
  end

  local function as_list(x)
    if x == nil then return {} end
    if type(x) == "table" then return x end
    return { x }
  end

  local function lower(s) return type(s) == "string" and s:lower() or s end

  C.contains, C.copy, C.as_list, C.lower = contains, copy, as_list, lower

  function C.os_key(os_name)
    os_name = lower(os_name or "linux")
    if os_name == "win" or os_name == "win32" or os_name == "windows" then return "windows" end
    return "linux"
  end

  function C.index_url(tag)
    return string.format(PT.index_url_pattern, tag)
  end

  ---------------------------------------------------------------------------
  -- vendors
  ---------------------------------------------------------------------------
  function C.vendors()
    local v = tables.vendors
    if type(v) == "function" then v = v() end
    return v or {}
  end

  -- The vendor whose backends (or aliases) include `backend`.
  function C.vendor(backend)
    backend = lower(backend)
    for _, v in ipairs(C.vendors()) do
      if contains(v.backends, backend) or contains(v.aliases, backend) then return v end
    end
    return nil
  end

  -- The vendor that publishes accelerator tag `tag` (its owns_tag says so).
  function C.vendor_for_tag(tag)
    for _, v in ipairs(C.vendors()) do
      if type(v.owns_tag) == "function" then
        if v.owns_tag(tag) then return v end
      elseif contains(v.backends, tag) then
        return v
      end
    end
    return nil
  end

  function C.last_resort()
    for _, v in ipairs(C.vendors()) do if v.last_resort then return v end end
    return nil
  end

  -- Tag family used by tables/frameworks.lua, as the tag's vendor names it.
  function C.tag_family(tag)
    local v = C.vendor_for_tag(tag)
    if v and type(v.tag_family) == "function" then return v.tag_family(tag) end
    if v then return tag end
    return nil
  end

  ---------------------------------------------------------------------------
  -- PyTorch releases
  ---------------------------------------------------------------------------
  -- All release lines, oldest first.
  function C.releases()
    local out = {}
    for i, r in ipairs(PT.releases) do out[i] = r end
    table.sort(out, function(a, b) return V.lt(a.line, b.line) end)
    return out
  end

  function C.newest_release()
    local rs = C.releases()
    return rs[#rs]
  end

  -- Accepts a line ("2.8"), a full version ("2.8.0", "2.8.0+cu128") or a
  -- release table; returns the release table.
  function C.release(x)
    if type(x) == "table" and x.line then return x end
    if x == nil then return nil end
    x = tostring(x)
    for _, r in ipairs(PT.releases) do
      if r.line == x then return r end
    end
    local p = V.parse(x)
    if not p then return nil end
    for _, r in ipairs(PT.releases) do
      if V.same_line(x, r.line) then return r end
    end
    return nil
  end

  function C.release_or_error(x)
    local r = C.release(x)
    if not r then return nil, "unknown PyTorch release '" .. tostring(x) .. "'" end
    return r
  end

  -- Does release `rel` publish wheels for Python `py` ("3.12")?
  function C.python_ok(rel, py)
    rel = C.release(rel)
    if not rel or not py then return rel ~= nil end
    local p = rel.python or {}
    local hi = p.max_experimental or p.max
    return V.between(V.prefix(py, 2), p.min, hi)
  end

  -- The release lines to try, newest first: the pinned one, or every line
  -- with wheels for opts.python.
  function C.releases_to_try(opts)
    opts = opts or {}
    if opts.release then
      local r = C.release(opts.release)
      return r and { r } or {}
    end
    local rs, out = C.releases(), {}
    for i = #rs, 1, -1 do
      if C.python_ok(rs[i], opts.python) then out[#out + 1] = rs[i] end
    end
    return out
  end

  ---------------------------------------------------------------------------
  -- accelerators(device) -> ordered candidates, best first, ending with the
  -- last-resort build (the CPU)
  ---------------------------------------------------------------------------
  -- device = an inventory record as the vendor's describe() shapes it:
  --   { backend = "...", driver_version = "...", architecture = "...", ... }
  -- opts.release pins a torch line; opts.python skips lines without wheels for
  -- that Python; other options are the vendor's own.
  -- Each entry: { tag, backend, release, torch, index_url, env, reason, ... }.
  function C.accelerators(device, opts)
    opts = opts or {}
    device = device or {}
    local backend = lower(device.backend or "cpu")
    local os_name = device.os or opts.os
    local last = C.last_resort()
    local out, fallback_reason = {}, nil
    local vendor = C.vendor(backend)
    if vendor and vendor ~= last then
      local list, why, extra = vendor.accelerators(device, opts)
      for _, c in ipairs(list or {}) do
        c.backend = c.backend or vendor.backends[1]
        c.env = c.env or {}
        out[#out + 1] = c
      end
      fallback_reason = why
      if type(extra) == "table" and extra.os then os_name = os_name or extra.os end
    elseif not vendor then
      fallback_reason = "unknown backend '" .. tostring(device.backend) .. "'; CPU build"
    end
    if last then
      local list = last.accelerators({ backend = last.backends[1], os = os_name }, opts) or {}
      for _, c in ipairs(list) do
        c.backend = c.backend or last.backends[1]
        c.reason = fallback_reason or "CPU build (always available as the last resort)"
        out[#out + 1] = c
      end
    end
    return out
  end

  -- Usable now, or made usable by what the vendor's plan sets (bool, why).
  function C.eligible(device)
    if device.usable then return true end
    local v = C.vendor(device.backend)
    if v and type(v.eligible) == "function" then return v.eligible(device) end
    return false
  end

  ---------------------------------------------------------------------------
  -- packages(framework, tag, release?, opts?) -> install spec
  ---------------------------------------------------------------------------
  -- Newest release (with wheels for py) that the vendor of `tag` publishes it for.
  function C.torch_release_for_tag(tag, py)
    local v = C.vendor_for_tag(tag)
    if not v or type(v.has_torch_tag) ~= "function" then return nil end
    local rs = C.releases()
    for i = #rs, 1, -1 do
      if C.python_ok(rs[i], py) and v.has_torch_tag(rs[i], tag) then return rs[i] end
    end
    return nil
  end

  -- The torch/torchvision/torchaudio requirements of a release, with `pins`
  -- (a build's own pins) taking precedence, appended to spec.packages. A pin
  -- set to false leaves that package out without the release's note on it.
  function C.add_torch_packages(spec, rel, pins)
    pins = pins or { torch = rel.torch, torchvision = rel.torchvision, torchaudio = rel.torchaudio }
    spec.packages[#spec.packages + 1] = "torch==" .. pins.torch
    if pins.torchvision then
      spec.packages[#spec.packages + 1] = "torchvision==" .. pins.torchvision
    elseif pins.torchvision == nil and rel.torchvision_note then
      spec.notes[#spec.notes + 1] = rel.torchvision_note
    end
    if pins.torchaudio then
      spec.packages[#spec.packages + 1] = "torchaudio==" .. pins.torchaudio
    elseif pins.torchaudio == nil and rel.torchaudio_note then
      spec.notes[#spec.notes + 1] = rel.torchaudio_note
    end
    return spec
  end

  local function pytorch_packages(tag, release, opts)
    local vendor = C.vendor_for_tag(tag)
    if not vendor or type(vendor.pytorch) ~= "function" then
      return nil, "unknown PyTorch accelerator tag '" .. tostring(tag) .. "'"
    end
    local rel
    if release then
      local err
      rel, err = C.release_or_error(release)
      if not rel then return nil, err end
    else
      rel = C.torch_release_for_tag(tag, opts.python)
      if not rel then return nil, "no PyTorch release publishes tag '" .. tostring(tag) .. "'" end
    end
    local spec = { index_url = nil, extra_index_urls = {}, packages = {}, env = {}, notes = {},
                   release = rel.line, tag = tag }
    -- The vendor fills the index, env and notes, and may return its own pins
    -- (or packages of its own, such as a plugin package next to torch).
    local pins, why = vendor.pytorch(spec, rel, tag, opts)
    if pins == nil then return nil, why end
    C.add_torch_packages(spec, rel, pins ~= true and pins or nil)
    if type(spec.after_torch) == "table" then
      for _, p in ipairs(spec.after_torch) do spec.packages[#spec.packages + 1] = p end
      spec.after_torch = nil
    end
    if opts.env then for k, v in pairs(opts.env) do spec.env[k] = v end end
    return spec
  end

  -- framework: "pytorch" | "cupy" | "jax" | "tensorflow" | "onnxruntime" | "numpy"
  -- tag: accelerator tag (whatever a vendor publishes)
  -- release: PyTorch line (pytorch only; default = newest line with that tag)
  -- opts: { os = "linux"|"windows"|"macos", python = "3.12", env = {...}, and
  --         the vendor's own facts (driver_version, ccs, gfx ...) }
  -- Returns { index_url, extra_index_urls, packages, env, notes, ... }
  --       | nil, reason.
  function C.packages(framework, tag, release, opts)
    opts = opts or {}
    framework = lower(framework)
    if framework == "pytorch" or framework == "torch" then
      return pytorch_packages(tag, release, opts)
    end
    if framework == "numpy" then
      return { index_url = nil, extra_index_urls = {}, packages = { "numpy" }, env = {}, notes = {} }
    end
    local vendor = C.vendor_for_tag(tag)
    if vendor and type(vendor.packages) == "function" then
      local spec, why, handled = vendor.packages(framework, tag, release, opts)
      if spec or handled then return spec, why end
    end
    local fw = FW[framework]
    if not fw then return nil, "unknown framework '" .. tostring(framework) .. "'" end
    local fam = C.tag_family(tag)
    if not fam then return nil, "unknown accelerator tag '" .. tostring(tag) .. "'" end
    local spec = fw[fam]
    if not spec then
      local why = fw.unsupported and fw.unsupported[fam]
      return nil, framework .. " for " .. tag .. ": " .. (why or "no package mapping")
    end
    if spec.os and opts.os and not contains(spec.os, C.os_key(opts.os) == "windows" and "windows" or lower(opts.os)) then
      return nil, string.format("%s %s packages are published for %s only", framework, tag,
        table.concat(spec.os, "/"))
    end
    -- The vendor checks what its rows require of the device (a driver floor...).
    if vendor and type(vendor.framework_ok) == "function" then
      local ok, why = vendor.framework_ok(framework, tag, spec, opts)
      if not ok then return nil, why end
    end
    local notes = {}
    if spec.note then notes[1] = spec.note end
    return {
      index_url = spec.index_url,
      extra_index_urls = copy(spec.extra_index_urls or {}),
      packages = copy(spec.packages),
      env = copy(opts.env or {}),
      notes = notes,
      fallback = spec.fallback or nil,
      tag = tag,
    }
  end

  -- A vendor's own helper by name (choose.fn("<function name>")): for tests
  -- and scripts that want one vendor's table logic.
  function C.fn(name)
    for _, v in ipairs(C.vendors()) do
      if type(v[name]) == "function" then return v[name] end
    end
    return nil
  end

  return C
end
