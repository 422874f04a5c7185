-- scripts/lib/choose.lua
--
-- Pure selection functions over the version tables in scripts/tables/.
-- No I/O, no require, no globals: the host (or a test) loads the tables and
-- the version helper itself and passes them in:
--
--   local version = dofile("scripts/lib/version.lua")
--   local tables = {
--     nvidia_driver_cuda = dofile("scripts/tables/nvidia_driver_cuda.lua"),
--     pytorch            = dofile("scripts/tables/pytorch.lua"),
--     rocm               = dofile("scripts/tables/rocm.lua"),
--     intel              = dofile("scripts/tables/intel.lua"),
--     apple              = dofile("scripts/tables/apple.lua"),
--     frameworks         = dofile("scripts/tables/frameworks.lua"),
--   }
--   local choose = dofile("scripts/lib/choose.lua")(tables, version)
--
-- (`version` may also be passed as tables.version.)
--
-- Conventions: failures return nil plus a human-readable reason string;
-- versions are compared numerically through the version helper; compute
-- capabilities are "M.m" strings ("8.6", "12.0"); AMD targets are "gfxNNNN".

return function(tables, version)
  local V = version or (tables and tables.version)
  if type(V) ~= "table" or type(V.compare) ~= "function" then
    error("choose.lua: pass the version helper (scripts/lib/version.lua) as the second argument", 2)
  end
  local NV = tables.nvidia_driver_cuda
  local PT = tables.pytorch
  local RO = tables.rocm
  local IN = tables.intel
  local AP = tables.apple
  local FW = tables.frameworks
  for name, t in pairs({ nvidia_driver_cuda = NV, pytorch = PT, rocm = RO,
                         intel = IN, apple = AP, frameworks = FW }) do
    if type(t) ~= "table" then
      error("choose.lua: missing table '" .. name .. "'", 2)
    end
  end

  local C = {}

  ---------------------------------------------------------------------------
  -- small helpers
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

  -- "8.6", "sm_86", "86", "sm_120", "12.0", 8.6 -> "8.6" / "12.0"
  function C.normalize_cc(x)
    if type(x) == "number" then x = string.format("%.1f", x) end
    if type(x) ~= "string" then return nil end
    x = x:lower():gsub("^%s+", ""):gsub("%s+$", "")
    x = x:gsub("^sm_", ""):gsub("^compute_", ""):gsub("^sm", "")
    local maj, min = x:match("^(%d+)%.(%d+)$")
    if maj then return tostring(tonumber(maj)) .. "." .. tostring(tonumber(min)) end
    local digits = x:match("^(%d+)[a-z]?$")          -- "86", "90a", "120"
    -- a bare "10" / "12" means 10.0 / 12.0: read compactly it would be a
    -- pre-Kepler capability (< 3.0) that no supported build targets
    if digits and #digits == 2 and tonumber(digits:sub(1, 1)) < 3 then
      return tostring(tonumber(digits)) .. ".0"
    end
    if digits and #digits >= 2 then
      return digits:sub(1, -2) .. "." .. digits:sub(-1)
    end
    if digits then return digits .. ".0" end
    return nil
  end

  -- "gfx1031", "GFX1031", "gfx90a:sramecc+:xnack-" -> "gfx1031" / "gfx90a"
  function C.normalize_gfx(x)
    if type(x) ~= "string" then return nil end
    local g = x:lower():match("(gfx%w+)")
    return g
  end

  -- "cu128" -> "12.8", "cu118" -> "11.8", "cu130" -> "13.0"
  function C.cuda_tag_version(tag)
    local d = type(tag) == "string" and tag:match("^cu(%d+)$")
    if not d or #d < 2 then return nil end
    return tostring(tonumber(d:sub(1, -2))) .. "." .. d:sub(-1)
  end

  -- "rocm6.2.4" -> "6.2.4"
  function C.rocm_tag_version(tag)
    return type(tag) == "string" and tag:match("^rocm(%d[%d.]*)$") or nil
  end

  -- Tag family used by tables/frameworks.lua.
  function C.tag_family(tag)
    local cv = C.cuda_tag_version(tag)
    if cv then return "cuda" .. tostring(V.major(cv)) end
    local rv = C.rocm_tag_version(tag)
    if rv then return "rocm" .. tostring(V.major(rv)) end
    if tag == "xpu" or tag == "mps" or tag == "cpu" or tag == "directml" then return tag end
    return nil
  end

  function C.index_url(tag)
    return string.format(PT.index_url_pattern, tag)
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

  local function release_or_error(x)
    local r = C.release(x)
    if not r then return nil, "unknown PyTorch release '" .. tostring(x) .. "'" end
    return r
  end

  ---------------------------------------------------------------------------
  -- NVIDIA driver <-> CUDA toolkit
  ---------------------------------------------------------------------------
  local function os_key(os_name)
    os_name = lower(os_name or "linux")
    if os_name == "win" or os_name == "win32" or os_name == "windows" then return "windows" end
    return "linux"
  end

  -- Minimum driver of a CUDA line (its GA row = the smallest requirement).
  function C.min_driver_for_cuda(cuda, os_name)
    local key = os_key(os_name)
    local best
    for _, row in ipairs(NV.toolkits) do
      if V.prefix(row.cuda, 2) == V.prefix(cuda, 2) and row[key] then
        if best == nil or V.lt(row[key], best) then best = row[key] end
      end
    end
    return best
  end

  local function compat_floor(major, os_name)
    local key = os_key(os_name)
    for _, row in ipairs(NV.minor_compat) do
      if row.major == major then return row[key] end
    end
    return nil
  end

  -- Distinct CUDA lines in the table, newest first.
  local function cuda_lines()
    local seen, out = {}, {}
    for _, row in ipairs(NV.toolkits) do
      if not seen[row.cuda] then seen[row.cuda] = true; out[#out + 1] = row.cuda end
    end
    return V.sorted(out, true)
  end

  -- Can a driver run code built with CUDA `cuda`?
  -- opts.os = "linux" (default) | "windows"
  -- opts.mode = "minor_compat" (default: NVIDIA minor-version compatibility,
  --             which is how PyTorch/JAX/CuPy CUDA wheels are meant to run) |
  --             "strict" (driver >= the toolkit's own GA driver).
  function C.driver_supports_cuda(driver, cuda, opts)
    opts = opts or {}
    if not V.parse(driver) then return false, "unparseable driver version '" .. tostring(driver) .. "'" end
    local ga = C.min_driver_for_cuda(cuda, opts.os)
    if ga and V.ge(driver, ga) then
      return true, string.format("driver %s >= %s (CUDA %s GA requirement)", driver, ga, cuda), "ga"
    end
    if opts.mode ~= "strict" then
      local major = V.major(cuda)
      local floor = compat_floor(major, opts.os)
      if floor and V.ge(driver, floor) then
        return true, string.format("driver %s >= %s (CUDA %d.x minor-version compatibility floor)",
          driver, floor, major), "minor_compat"
      end
      if floor then
        return false, string.format("driver %s is below %s, the minimum for any CUDA %d.x build",
          driver, floor, major)
      end
    end
    if ga then
      return false, string.format("driver %s is below %s required by CUDA %s", driver, ga, cuda)
    end
    return false, string.format("no driver requirement known for CUDA %s on %s", cuda, os_key(opts.os))
  end

  -- Newest CUDA toolkit line the driver can run, e.g. "535.104.05" -> "12.9"
  -- (minor-compat mode) or "12.2" (strict mode). Returns version, reason.
  function C.cuda_max_for_driver(driver, opts)
    opts = opts or {}
    if driver == nil then return nil, "no driver version given" end
    if not V.parse(driver) then return nil, "unparseable driver version '" .. tostring(driver) .. "'" end
    local lines = cuda_lines()
    local best, why
    for _, line in ipairs(lines) do
      local ga = C.min_driver_for_cuda(line, opts.os)
      if ga and V.ge(driver, ga) then
        best, why = line, string.format("driver %s >= %s (CUDA %s GA)", driver, ga, line)
        break
      end
    end
    if opts.mode ~= "strict" then
      local majors = {}
      for _, row in ipairs(NV.minor_compat) do majors[#majors + 1] = row end
      table.sort(majors, function(a, b) return a.major > b.major end)
      for _, row in ipairs(majors) do
        local floor = compat_floor(row.major, opts.os)
        if floor and V.ge(driver, floor) then
          local newest
          for _, line in ipairs(lines) do
            if V.major(line) == row.major then newest = line; break end
          end
          if newest and (best == nil or V.gt(newest, best)) then
            best = newest
            why = string.format("driver %s >= %s: any CUDA %d.x build runs via minor-version "
              .. "compatibility; newest known %d.x is %s", driver, floor, row.major, row.major, newest)
          end
          break
        end
      end
    end
    if not best then
      return nil, string.format("driver %s is older than any CUDA 11+ requirement (CUDA 11.0 GA needs %s)",
        driver, C.min_driver_for_cuda("11.0", opts.os) or "?")
    end
    return best, why
  end

  ---------------------------------------------------------------------------
  -- Compute capability coverage
  ---------------------------------------------------------------------------
  -- "sass" when a cubin of the same major and minor <= the device's exists,
  -- "ptx" when only embedded PTX of an older-or-equal target exists (JIT),
  -- nil otherwise.
  function C.cc_coverage(cc, sm, ptx)
    cc = C.normalize_cc(cc)
    if not cc or not sm then return nil end
    local maj = V.major(cc)
    local best
    for _, s in ipairs(sm) do
      if V.major(s) == maj and V.le(s, cc) and (best == nil or V.gt(s, best)) then best = s end
    end
    if best then return "sass", "sm_" .. best:gsub("%.", "") end
    local bestp
    for _, p in ipairs(ptx or {}) do
      if V.le(p, cc) and (bestp == nil or V.gt(p, bestp)) then bestp = p end
    end
    if bestp then return "ptx", "compute_" .. bestp:gsub("%.", "") .. " (PTX JIT)" end
    return nil
  end

  local function sm_list_text(sm)
    local out = {}
    for i, s in ipairs(sm or {}) do out[i] = "sm_" .. s:gsub("%.", "") end
    return table.concat(out, " ")
  end

  local function normalize_ccs(ccs)
    local out = {}
    for _, c in ipairs(as_list(ccs)) do
      local n = C.normalize_cc(c)
      if n and not contains(out, n) then out[#out + 1] = n end
    end
    return out
  end

  ---------------------------------------------------------------------------
  -- PyTorch CUDA tag selection
  ---------------------------------------------------------------------------
  -- All CUDA tags of `release` usable with `driver` and every compute
  -- capability in `ccs`, newest CUDA first. Returns accepted, rejected
  -- (lists of info tables). opts: os, mode, allow_ptx (default true),
  -- include_unselectable (default false), prefer_strict (rank builds whose own
  -- GA driver requirement is met ahead of minor-compat-only ones).
  -- info.driver_mode = "ga" | "minor_compat" tells which rule admitted it.
  function C.torch_cuda_tags(release, driver, ccs, opts)
    opts = opts or {}
    local rel, err = release_or_error(release)
    if not rel then return nil, err end
    ccs = normalize_ccs(ccs)
    local entries = {}
    for _, e in ipairs(rel.cuda or {}) do entries[#entries + 1] = e end
    table.sort(entries, function(a, b) return V.gt(a.cuda, b.cuda) end)
    local accepted, rejected = {}, {}
    for _, e in ipairs(entries) do
      local info = { tag = e.tag, cuda = e.cuda, release = rel.line, partial = rel.partial or nil,
                     torch = (e.pins and e.pins.torch) or rel.torch,
                     index_url = C.index_url(e.tag),
                     pypi_default = (e.tag == rel.pypi_default),
                     experimental = e.experimental or nil, coverage = {} }
      local why
      if e.select == false and not opts.include_unselectable then
        why = e.tag .. ": published but not auto-selected (unofficial or unknown arch list)"
        info.reject_kind = "unselectable"
      end
      if not why and driver ~= nil then
        local ok, r, mode = C.driver_supports_cuda(driver, e.cuda, opts)
        info.driver_reason = r
        info.driver_mode = mode
        if not ok then why = e.tag .. ": " .. r; info.reject_kind = "driver" end
      elseif not why then
        info.driver_reason = "driver version unknown - not checked"
      end
      if not why then
        if not e.sm then
          why = e.tag .. ": architecture list unknown"
          info.reject_kind = "unknown_arch"
        else
          for _, cc in ipairs(ccs) do
            local kind, detail = C.cc_coverage(cc, e.sm, e.ptx)
            if not kind then
              why = string.format("%s: no kernels for compute capability %s (ships %s)",
                e.tag, cc, sm_list_text(e.sm))
              info.reject_kind = "arch"
              break
            elseif kind == "ptx" and opts.allow_ptx == false then
              why = string.format("%s: compute capability %s only covered by PTX JIT", e.tag, cc)
              info.reject_kind = "arch"
              break
            end
            info.coverage[cc] = detail
          end
        end
      end
      if why then
        info.reason = why
        rejected[#rejected + 1] = info
      else
        local parts = {}
        for _, cc in ipairs(ccs) do parts[#parts + 1] = cc .. " -> " .. info.coverage[cc] end
        info.reason = string.format("torch %s %s (CUDA %s): %s%s%s", info.torch, e.tag, e.cuda,
          info.driver_reason or "",
          #parts > 0 and "; kernels " .. table.concat(parts, ", ") or "; no GPU architecture given",
          info.pypi_default and "; same build as the default PyPI wheel" or "")
        accepted[#accepted + 1] = info
      end
    end
    if opts.prefer_strict then
      -- builds whose own GA driver requirement is met first, then the ones
      -- that only run through minor-version compatibility (stable sort)
      local ga, mc = {}, {}
      for _, a in ipairs(accepted) do
        if a.driver_mode == "minor_compat" then mc[#mc + 1] = a else ga[#ga + 1] = a end
      end
      for _, a in ipairs(mc) do ga[#ga + 1] = a end
      accepted = ga
    end
    return accepted, rejected
  end

  -- Newest CUDA tag of `release` that the driver supports and that has
  -- kernels for every given compute capability.
  -- Returns tag, info  |  nil, reason.
  function C.torch_cuda_tag(release, driver, ccs, opts)
    local accepted, rejected = C.torch_cuda_tags(release, driver, ccs, opts)
    if accepted == nil then return nil, rejected end
    if #accepted > 0 then return accepted[1].tag, accepted[1] end
    local rel = C.release(release)
    if #rejected == 0 then
      return nil, "torch " .. rel.line .. " has no CUDA builds"
    end
    local reasons = {}
    for _, r in ipairs(rejected) do reasons[#reasons + 1] = r.reason end
    return nil, "no CUDA build of torch " .. rel.line .. " fits: " .. table.concat(reasons, "; ")
  end

  ---------------------------------------------------------------------------
  -- ROCm
  ---------------------------------------------------------------------------
  -- gfx targets compiled into the wheels of (release line, rocm tag).
  function C.rocm_wheel_gfx(release, tag)
    local rel = C.release(release)
    if not rel then return nil end
    for _, row in ipairs(RO.pytorch_wheels) do
      if contains(row.releases, rel.line) and (row.tags == nil or contains(row.tags, tag)) then
        return row.gfx, row
      end
    end
    return nil
  end

  -- ROCm tag of `release` that runs `gfx`.
  -- Returns tag, env (table of environment overrides, possibly empty), info
  --       | nil, reason.
  function C.rocm_tag(release, gfx, opts)
    opts = opts or {}
    local rel, err = release_or_error(release)
    if not rel then return nil, err end
    local g = C.normalize_gfx(gfx)
    if not g then return nil, "unrecognised AMD GPU target '" .. tostring(gfx) .. "'" end
    local tags = {}
    for _, t in ipairs(rel.rocm or {}) do tags[#tags + 1] = t end
    if #tags == 0 then return nil, "torch " .. rel.line .. " has no ROCm builds" end
    table.sort(tags, function(a, b) return V.gt(C.rocm_tag_version(a), C.rocm_tag_version(b)) end)

    for _, t in ipairs(tags) do
      local list, row = C.rocm_wheel_gfx(rel.line, t)
      if list and contains(list, g) then
        return t, {}, { tag = t, release = rel.line, torch = rel.torch, native = true,
          index_url = C.index_url(t), approximate = row.approximate,
          reason = string.format("torch %s %s ships %s kernels", rel.torch, t, g) }
      end
    end
    local ov = RO.overrides[g]
    if ov and not (ov.community_only and opts.no_community_overrides) then
      for _, t in ipairs(tags) do
        local list, row = C.rocm_wheel_gfx(rel.line, t)
        if list and contains(list, ov.target) then
          local envtxt = {}
          for k, v in pairs(ov.env) do envtxt[#envtxt + 1] = k .. "=" .. v end
          table.sort(envtxt)
          return t, copy(ov.env), { tag = t, release = rel.line, torch = rel.torch, native = false,
            override_target = ov.target, community_only = ov.community_only,
            index_url = C.index_url(t), approximate = row.approximate,
            reason = string.format("torch %s %s has no %s kernels; runs the %s kernels with %s%s",
              rel.torch, t, g, ov.target, table.concat(envtxt, " "),
              ov.community_only and " (community workaround, not supported by AMD)" or "") }
        end
      end
    end
    local un = RO.unsupported[g]
    if un then return nil, g .. " (" .. un.family .. "): " .. un.reason end
    return nil, string.format("torch %s ROCm wheels (%s) have no kernels for %s and no known override",
      rel.line, table.concat(tags, ", "), g)
  end

  ---------------------------------------------------------------------------
  -- Intel
  ---------------------------------------------------------------------------
  local function parse_pci(x)
    if type(x) == "number" then return x end
    if type(x) ~= "string" then return nil end
    local h = x:lower():match("^0x(%x+)$") or x:lower():match("^(%x%x%x%x)$")
      or x:lower():match("8086:(%x%x%x%x)")
    return h and tonumber(h, 16) or nil
  end

  -- device: { pci_id = "0x56a0" | 0x56A0 | "8086:56a0", name = "Intel(R) Arc(TM) A770 Graphics" }
  -- Returns the family table from tables/intel.lua, or nil.
  function C.intel_family(device)
    local id = parse_pci(device.pci_id or device.device_id)
    if id then
      for _, fam in ipairs(IN.families) do
        if contains(fam.pci_ids, id) then return fam end
      end
    end
    local name = lower(device.name or "")
    if name ~= "" then
      name = name:gsub("^intel%(r%)%s*", ""):gsub("^intel%s+", "")
      for _, fam in ipairs(IN.families) do
        for _, pat in ipairs(fam.name_patterns or {}) do
          if name:find(pat) then return fam end
        end
      end
    end
    return nil
  end

  ---------------------------------------------------------------------------
  -- Apple
  ---------------------------------------------------------------------------
  -- Minimum macOS for MPS in a given torch release.
  function C.mps_min_macos(release)
    local rel = C.release(release)
    local v = rel and rel.torch or release
    local best
    for _, row in ipairs(AP.mps_min_macos) do
      if V.ge(v, row.torch_from) then best = row.macos end
    end
    return best
  end

  -- Newest release line whose MPS backend runs on `macos_version`.
  function C.mps_newest_release(macos_version)
    local rs = C.releases()
    for i = #rs, 1, -1 do
      local need = C.mps_min_macos(rs[i])
      if need and V.ge(macos_version, need) then return rs[i] end
    end
    return nil
  end

  ---------------------------------------------------------------------------
  -- accelerators(device) -> ordered candidates, best first, ending with cpu
  ---------------------------------------------------------------------------
  -- Does release `rel` publish wheels for Python `py` ("3.12")?
  function C.python_ok(rel, py)
    rel = C.release(rel)
    if not rel or not py then return rel ~= nil end
    local p = rel.python or {}
    local hi = p.max_experimental or p.max
    return V.between(V.prefix(py, 2), p.min, hi)
  end

  local function releases_to_try(opts)
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

  local function cpu_entry(reason, os_name, opts)
    local rel = releases_to_try(opts or {})[1] or C.newest_release()
    local e = { tag = "cpu", backend = "cpu", release = rel.line, torch = rel.torch,
                reason = reason or "CPU build (always available)" }
    if lower(os_name) == "macos" or lower(os_name) == "darwin" then
      e.index_url = nil
    else
      e.index_url = C.index_url("cpu")
    end
    return e
  end



  -- device = { backend = "cuda", driver_version = "535.104.05",
  --            architecture = "8.6" | {"8.6", "6.1"}, os = "linux" }
  --        | { backend = "rocm", architecture = "gfx1031" }
  --        | { backend = "xpu", name = "...", pci_id = "0x56a0" }
  --        | { backend = "mps", macos_version = "14.5", arch = "arm64" }
  --        | { backend = "cpu" }
  -- opts.release pins a torch line; otherwise the newest line that has a
  -- usable build is chosen (older lines are tried when the newest has none).
  -- opts.python ("3.10") skips lines without wheels for that Python;
  -- opts.mode / opts.prefer_strict / opts.allow_ptx as in torch_cuda_tags.
  -- Each entry: { tag, backend, release, torch, index_url, env, reason, ... }.
  function C.accelerators(device, opts)
    opts = opts or {}
    device = device or {}
    local backend = lower(device.backend or "cpu")
    local os_name = device.os or opts.os
    local out = {}
    local cpu_reason

    if backend == "cuda" or backend == "nvidia" then
      local ccs = device.architecture or device.architectures or device.compute_capability
      local copts = { os = os_name, mode = opts.mode, allow_ptx = opts.allow_ptx,
                      prefer_strict = opts.prefer_strict }
      local first_arch, first_any
      for _, rel in ipairs(releases_to_try(opts)) do
        local acc, rej = C.torch_cuda_tags(rel, device.driver_version, ccs, copts)
        if acc and #acc > 0 then
          for _, info in ipairs(acc) do
            local e = copy(info)
            e.backend = "cuda"
            e.env = {}
            out[#out + 1] = e
          end
          break
        end
        for _, r in ipairs(rej or {}) do
          local txt = "torch " .. rel.line .. " " .. r.reason
          if r.reject_kind == "arch" and not first_arch then first_arch = txt end
          if not first_any then first_any = txt end
        end
      end
      if #out == 0 then
        local cc_txt = table.concat(normalize_ccs(ccs), ", ")
        if first_arch then
          -- some build runs on this driver, none has kernels for the GPU
          cpu_reason = string.format("no PyTorch 2.x CUDA build that runs on this driver has kernels "
            .. "for compute capability %s (newest tried: %s); CPU fallback", cc_txt, first_arch)
        else
          local maxc, maxwhy
          if device.driver_version then
            maxc, maxwhy = C.cuda_max_for_driver(device.driver_version, copts)
          end
          cpu_reason = string.format("no PyTorch 2.x CUDA build runs on driver %s (%s)%s; CPU fallback",
            tostring(device.driver_version),
            maxc and ("newest CUDA it supports: " .. maxc) or (maxwhy or "driver unknown"),
            first_any and (" - e.g. " .. first_any) or "")
        end
      end

    elseif backend == "rocm" or backend == "amd" or backend == "hip" then
      local gfx = device.architecture or device.gfx
      local first_reason
      for _, rel in ipairs(releases_to_try(opts)) do
        local tag, env, info = C.rocm_tag(rel, gfx, opts)
        if tag then
          local e = copy(info)
          e.backend = "rocm"
          e.env = env
          out[#out + 1] = e
          break
        elseif not first_reason and #(rel.rocm or {}) > 0 then
          first_reason = env   -- the reason string (from a line that has ROCm builds)
        end
      end
      if #out == 0 then
        cpu_reason = (first_reason or "no ROCm build found") .. "; CPU fallback"
      end

    elseif backend == "xpu" or backend == "intel" then
      local fam = C.intel_family(device)
      if fam and (fam.status == "validated" or fam.status == "unvalidated") then
        local rel
        for _, r in ipairs(releases_to_try(opts)) do
          if r.xpu and V.ge(r.torch, fam.min_torch or IN.min_torch) then rel = r; break end
        end
        if rel then
          out[#out + 1] = {
            tag = "xpu", backend = "xpu", release = rel.line, torch = rel.torch,
            index_url = IN.index_url, env = {}, family = fam.key,
            experimental = (fam.status ~= "validated") or nil,
            reason = fam.name .. (fam.status == "validated"
              and " is in PyTorch's validated Intel GPU list"
              or " is not in PyTorch's validated list (same GPU generation as listed parts); experimental")
              .. "; xpu wheels from torch " .. (fam.min_torch or IN.min_torch),
          }
        else
          cpu_reason = fam.name .. ": no torch release in range has an xpu build; CPU fallback"
        end
      elseif fam then
        cpu_reason = fam.reason or (fam.name .. " is not supported by the xpu builds")
        cpu_reason = cpu_reason .. "; CPU build"
      else
        cpu_reason = "unrecognised Intel GPU '" .. tostring(device.name or device.pci_id)
          .. "'; not in PyTorch's validated xpu list; CPU build"
      end

    elseif backend == "mps" or backend == "apple" or backend == "metal" then
      local arch = lower(device.arch or device.cpu_arch or AP.arch)
      local mac = device.macos_version or device.os_version
      if arch ~= "arm64" and arch ~= "aarch64" then
        cpu_reason = "MPS wheels are for Apple silicon (arm64) only; CPU build"
      elseif not mac or not V.parse(mac) then
        cpu_reason = "macOS version unknown; cannot confirm MPS support; CPU build"
      else
        local rel
        if opts.release then
          rel = C.release(opts.release)
        else
          for _, r in ipairs(releases_to_try(opts)) do
            local n = C.mps_min_macos(r)
            if n and V.ge(mac, n) then rel = r; break end
          end
        end
        local need = rel and C.mps_min_macos(rel)
        if rel and need and V.ge(mac, need) then
          out[#out + 1] = {
            tag = "mps", backend = "mps", release = rel.line, torch = rel.torch,
            index_url = nil, env = {},
            reason = string.format("macOS %s >= %s required for MPS in torch %s; MPS ships in the "
              .. "default PyPI arm64 wheel", mac, need, rel.torch),
          }
        else
          local first = AP.mps_min_macos[1].macos
          cpu_reason = string.format("macOS %s is below the MPS minimum (%s for torch %s)", mac,
            need or first, rel and rel.torch or "any 2.x")
            .. "; CPU build"
        end
      end
      os_name = os_name or "macos"

    elseif backend ~= "cpu" then
      cpu_reason = "unknown backend '" .. tostring(device.backend) .. "'; CPU build"
    end

    out[#out + 1] = cpu_entry(cpu_reason or "CPU build (always available as the last resort)", os_name, opts)
    return out
  end

  ---------------------------------------------------------------------------
  -- packages(framework, tag, release?, opts?) -> install spec
  ---------------------------------------------------------------------------
  local function torch_release_for_tag(tag, py)
    local rs = C.releases()
    for i = #rs, 1, -1 do
      local r = rs[i]
      if C.python_ok(r, py) then
        if tag == "cpu" or tag == "mps" then return r end
        if tag == "xpu" and r.xpu then return r end
        for _, e in ipairs(r.cuda or {}) do
          if e.tag == tag and e.select ~= false then return r end
        end
        if contains(r.rocm, tag) then return r end
      end
    end
    return nil
  end

  local function pytorch_packages(tag, release, opts)
    local rel
    if release then
      local err
      rel, err = release_or_error(release)
      if not rel then return nil, err end
    else
      rel = torch_release_for_tag(tag, opts.python)
      if not rel then return nil, "no PyTorch release publishes tag '" .. tostring(tag) .. "'" end
    end
    local pins = { torch = rel.torch, torchvision = rel.torchvision, torchaudio = rel.torchaudio }
    local spec = { index_url = nil, extra_index_urls = {}, packages = {}, env = {}, notes = {},
                   release = rel.line, tag = tag }
    local fam = C.tag_family(tag)
    if fam and fam:match("^cuda") then
      local entry
      for _, e in ipairs(rel.cuda or {}) do if e.tag == tag then entry = e end end
      if not entry then return nil, "torch " .. rel.line .. " has no " .. tag .. " build" end
      if entry.pins then pins = entry.pins end
      if entry.select == false then
        spec.notes[#spec.notes + 1] = tag .. " is published for torch " .. rel.line
          .. " but not part of its official support matrix"
      end
      spec.index_url = C.index_url(tag)
      if tag == rel.pypi_default then
        spec.notes[#spec.notes + 1] = "same CUDA build as plain `pip install torch` from PyPI on Linux x86_64"
      end
    elseif fam and fam:match("^rocm") then
      if not contains(rel.rocm, tag) then return nil, "torch " .. rel.line .. " has no " .. tag .. " build" end
      spec.index_url = C.index_url(tag)
      if opts.gfx then
        local t, env = C.rocm_tag(rel, opts.gfx, opts)
        if t == tag and type(env) == "table" then spec.env = env end
      end
    elseif tag == "xpu" then
      if not rel.xpu then return nil, "torch " .. rel.line .. " has no xpu build (xpu wheels start with 2.5)" end
      spec.index_url = IN.index_url
    elseif tag == "mps" then
      spec.index_url = nil
      spec.notes[#spec.notes + 1] = "macOS arm64: the default PyPI wheel includes MPS"
    elseif tag == "cpu" then
      local o = lower(opts.os)
      if o == "macos" or o == "darwin" then
        spec.index_url = nil
      else
        spec.index_url = C.index_url("cpu")
      end
    else
      return nil, "unknown PyTorch accelerator tag '" .. tostring(tag) .. "'"
    end
    spec.packages[#spec.packages + 1] = "torch==" .. pins.torch
    if pins.torchvision then
      spec.packages[#spec.packages + 1] = "torchvision==" .. pins.torchvision
    elseif rel.torchvision_note then
      spec.notes[#spec.notes + 1] = rel.torchvision_note
    end
    if pins.torchaudio then
      spec.packages[#spec.packages + 1] = "torchaudio==" .. pins.torchaudio
    elseif rel.torchaudio_note then
      spec.notes[#spec.notes + 1] = rel.torchaudio_note
    end
    if opts.env then for k, v in pairs(opts.env) do spec.env[k] = v end end
    return spec
  end

  -- framework: "pytorch" | "cupy" | "jax" | "tensorflow" | "onnxruntime" | "numpy"
  -- tag: accelerator tag ("cu128", "rocm6.4", "xpu", "mps", "cpu", "directml")
  -- release: PyTorch line (pytorch only; default = newest line with that tag)
  -- opts: { os = "linux"|"windows"|"macos", driver_version = "...",
  --         ccs = {...}, gfx = "gfx1031", env = {...}, python = "3.12" }
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
    local fw = FW[framework]
    if not fw then return nil, "unknown framework '" .. tostring(framework) .. "'" end
    local fam = C.tag_family(tag)
    if not fam then return nil, "unknown accelerator tag '" .. tostring(tag) .. "'" end
    local spec = fw[fam]
    if not spec then
      local why = fw.unsupported and fw.unsupported[fam]
      return nil, framework .. " for " .. tag .. ": " .. (why or "no package mapping")
    end
    if spec.os and opts.os and not contains(spec.os, os_key(opts.os) == "windows" and "windows" or lower(opts.os)) then
      return nil, string.format("%s %s packages are published for %s only", framework, tag,
        table.concat(spec.os, "/"))
    end
    if spec.min_driver and opts.driver_version and V.lt(opts.driver_version, spec.min_driver) then
      return nil, string.format("%s %s needs NVIDIA driver >= %s (have %s)", framework, tag,
        spec.min_driver, opts.driver_version)
    end
    if spec.min_cc and opts.ccs then
      for _, cc in ipairs(normalize_ccs(opts.ccs)) do
        if V.lt(cc, spec.min_cc) then
          return nil, string.format("%s %s needs compute capability >= %s (GPU has %s)", framework,
            tag, spec.min_cc, cc)
        end
      end
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

  return C
end
