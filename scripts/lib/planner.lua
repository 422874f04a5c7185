-- scripts/lib/planner.lua
--
-- Turns (profile, chosen device, the plugin's install contribution) into a
-- plan: which accelerator build, which index, which packages, which
-- environment variables, and the smoke test that proves the device computes.
-- Also scores profiles for `gpuhost recommend`. The host calls these from C++;
-- profiles may call them too (require("lib.planner")).

local T = require("lib.tables")
local choose, V = T.choose, T.version
local P = {}

local MIB = 1024 * 1024

-- The backend every plan can fall back to: the last-resort vendor's (the CPU).
local function last_backend()
  local v = choose.last_resort()
  return v and v.backends[1] or nil
end
P.last_backend = last_backend

-- Order among backends for the fallback ranking: the manifests' "priority";
-- a backend no manifest here declares comes last.
local function backend_order(backend)
  local order = gpuhost and gpuhost.backend_priority or {}
  if order[backend] then return order[backend] end
  local v = choose.vendor(backend)
  return v and v.priority or 1000
end

local function memory_mib(device)
  local m = device.memory or {}
  local bytes = m.total_bytes or m.shared_bytes
  return bytes and math.floor(bytes / MIB) or nil
end
P.memory_mib = memory_mib

local function has(list, x)
  for _, v in ipairs(list or {}) do if v == x then return true end end
  return false
end

-- An inventory record in the shape choose.accelerators() reads: the vendor's
-- describe(), or the common fields.
function P.describe(device)
  local v = choose.vendor(device.backend)
  if v and type(v.describe) == "function" then return v.describe(device) end
  return {
    backend = device.backend,
    driver_version = device.driver_version,
    architecture = device.architecture,
    name = device.name,
    pci_id = device.pci and device.pci.device_id,
    details = device.details,
    memory = device.memory,
    runtime = device.runtime,
    os = (v and v.os) or "linux",
  }
end

-- The framework a profile uses on a backend: a string, or a table by backend
-- with `default`.
function P.framework_for(profile, backend)
  local f = profile.framework
  if type(f) == "table" then return f[backend] or f.default end
  return f
end

-- Usable now, or made usable by what its vendor's plan sets (an environment
-- variable such as an architecture override): the vendor's eligible().
function P.eligible(device)
  if device.usable then return true end
  local ok, yes, why = pcall(choose.eligible, device)
  if ok then return yes, why end
  return false
end

-- Memory classes: a card sold as N GB reports a little under N GiB, because
-- the driver and firmware keep some (an RTX 4060 "8 GB" reports 8188 MiB). A
-- need of M MiB is met by at least M minus 5% of M, rounded as the host's
-- memory_class_floor_mib (host/policy/selection.hpp) does for the plugins' scores.
P.MEMORY_CLASS_TOLERANCE_PERCENT = 5
function P.memory_floor(need)
  if not need or need <= 0 then return need end
  return need - (need * P.MEMORY_CLASS_TOLERANCE_PERCENT) // 100
end

-- Enough memory for `need` MiB (its memory class)? A GPU whose size is unknown
-- cannot be trusted with a profile that names a minimum.
function P.fits(device, need)
  local mem = memory_mib(device)
  if not need or need <= 0 then return true end
  if not mem then return device.backend == last_backend() end
  return mem >= P.memory_floor(need)
end

-- Why a device is passed over for a need of `need` MiB, or nil when it is not:
-- not usable (its own reason), a probe's view of the CPU, or too little memory.
function P.passed_over(device, need)
  local ok, _ = P.eligible(device)
  if not ok then return "not usable: " .. tostring(device.reason or "no reason given") end
  if P.is_probe_cpu(device) then return "a probe's view of the CPU; no ML framework builds target it" end
  if not P.fits(device, need) then
    local mem = memory_mib(device)
    return string.format("%s, needs %d MiB (at least %d MiB counts: within %d%%)",
      mem and (mem .. " MiB") or "memory size unknown", need, P.memory_floor(need), P.MEMORY_CLASS_TOLERANCE_PERCENT)
  end
  return nil
end

-- The CPU seen again through a vendor-neutral probe (llvmpipe, PoCL): no ML
-- framework builds target it, and the last-resort vendor's record stands for the CPU.
function P.is_probe_cpu(device)
  return device.type == "cpu" and device.backend ~= last_backend()
end

-- Fallback ranking when a device's plugin is not loaded (a recorded inventory):
-- eligible devices with enough memory, by backend order, then by memory.
-- `priority`: the user's backend_priority list; listed backends come first, in
-- its order, then the others by the manifests' order (as select ranks ties).
function P.rank(devices, workload, priority)
  local out = {}
  for _, d in ipairs(devices) do
    local ok, why = P.eligible(d)
    local enough = P.fits(d, workload.min_memory_mib)
    if ok and enough and not P.is_probe_cpu(d) then
      out[#out + 1] = { id = d.id, backend = d.backend, memory = memory_mib(d) or 0, why = why }
    end
  end
  local listed = {}
  for i, b in ipairs(type(priority) == "table" and priority or {}) do listed[b] = listed[b] or i end
  table.sort(out, function(a, b)
    local la, lb = listed[a.backend] or math.huge, listed[b.backend] or math.huge
    if la ~= lb then return la < lb end
    local oa, ob = backend_order(a.backend), backend_order(b.backend)
    if oa ~= ob then return oa < ob end
    if a.memory ~= b.memory then return a.memory > b.memory end
    return a.id < b.id
  end)
  return out
end

-- The prefix of the notes that say a device was passed over and why.
P.PASSED_OVER = "passed over: "

local function cpu_device(devices)
  local last = last_backend()
  for _, d in ipairs(devices or {}) do if d.backend == last then return d end end
  return { id = tostring(last) .. ":0", backend = last, name = "CPU" }
end

-- The frameworks' own smoke tests (lib/smoke_tests.lua): each checks where
-- it computed, not only that it imports.
local DEFAULT_SMOKE = require("lib.smoke_tests")

-- What the default smoke test demands of the plan's build: a GPU unless the
-- backend is the last resort's or the tables' entry is a CPU stand-in
-- (fallback), and the entry's facts for the check (provider, hip, preload_dlls).
local function smoke_wants(framework, backend, plan)
  local want = { backend = backend, gpu = backend ~= last_backend() }
  local tag = plan and plan.accelerator
  local family = tag and choose.tag_family(tag)
  local fw = T.tables.frameworks[framework]
  local entry = type(fw) == "table" and family and fw[family] or nil
  if type(entry) == "table" then
    if entry.fallback then want.gpu = false end
    want.provider, want.provider_options = entry.provider, entry.provider_options
    want.hip, want.preload_dlls = entry.hip, entry.preload_dlls
  end
  return want
end

-- The vendor's smoke test for the framework (a table by framework, or a
-- function(framework, plan)), else the framework's own; an unknown framework
-- is only imported.
function P.default_smoke_test(framework, backend, plan)
  local v = choose.vendor(backend)
  local own = v and v.smoke_test
  if type(own) == "function" then own = own(framework, plan) end
  if type(own) == "table" then own = own[framework] end
  if type(own) == "string" then return own end
  local s = DEFAULT_SMOKE.script(framework, smoke_wants(framework, backend, plan))
  if not s then
    return string.format("import %s\nprint('%s imports (no device check is known for it)')\n", framework, framework)
  end
  return s
end

local function append(list, more)
  for _, x in ipairs(more or {}) do list[#list + 1] = x end
end

-- Accelerator candidates for the device: the tables' list (best first, ending
-- with cpu); when the plugin named tags, its first GPU tag the tables also
-- accept goes first. the last-resort build (the CPU) is every plugin's fallback, never promoted.
local function candidates(device, install, profile, forced)
  local cands = choose.accelerators(P.describe(device), { release = profile.pytorch })
  if forced and forced ~= "" then
    -- The user asked for one build (--accelerator): that one, or a clear error.
    local offered = {}
    for _, c in ipairs(cands) do
      if c.tag == forced then return { c } end
      offered[#offered + 1] = c.tag
    end
    return nil, string.format("accelerator %s is not available for %s (%s); the tables offer: %s", forced,
      device.id or "?", device.name or "?", table.concat(offered, ", "))
  end
  local tags = install and install.accelerators
  if type(tags) == "table" then
    for _, t in ipairs(tags) do
      for i, c in ipairs(cands) do
        if c.tag == t.tag and c.backend ~= last_backend() then
          table.remove(cands, i)
          table.insert(cands, 1, c)
          return cands
        end
      end
    end
  end
  return cands
end

-- Packages a build's accelerator index always serves when torch comes from it:
-- the Triton builds torch pins (PyPI has "triton"; the ROCm and XPU ones exist
-- only on download.pytorch.org).
local TORCH_COMPANIONS = { "triton", "pytorch-triton", "pytorch-triton-rocm", "pytorch-triton-xpu" }

local function project(spec)
  local name = spec:match("^([%w%._%-]+)")
  return name and name:lower():gsub("[%._%-]+", "-") or nil
end
P.project = project

-- Which projects the accelerator index serves (normalized names), and the
-- local version label its torch builds carry ("cu126"; nil where they carry
-- none, as on macOS). No index: nothing is routed.
function P.index_packages(spec, framework, chosen)
  if not spec.index_url or spec.index_url == "" then return {}, nil end
  local names, seen = {}, {}
  local function add(n) if n and not seen[n] then seen[n] = true; names[#names + 1] = n end end
  for _, n in ipairs(spec.index_packages or {}) do add(project(n)) end
  if framework == "pytorch" then
    for _, n in ipairs({ "torch", "torchvision", "torchaudio" }) do add(n) end
    for _, n in ipairs(TORCH_COMPANIONS) do add(n) end
    local v = choose.vendor(chosen.backend)
    for _, n in ipairs(v and v.index_companions or {}) do add(project(n)) end
  elseif not spec.index_packages then
    -- Another framework's own feed (an ONNX Runtime build): the table's packages.
    for _, p in ipairs(spec.packages or {}) do add(project(p)) end
  end
  local label
  if framework == "pytorch" then
    local cv = choose.vendor(chosen.backend)
    local os_name = cv and cv.os or "linux"
    if os_name ~= "macos" then label = chosen.torch_build or chosen.tag end
  end
  return names, label
end

-- The plan's packages split by source: (from the accelerator index, from the default index).
function P.route(plan)
  local served = {}
  for _, n in ipairs(plan.index_packages or {}) do served[n] = true end
  local a, b = {}, {}
  for _, p in ipairs(plan.packages) do
    if plan.index_url ~= "" and served[project(p)] then a[#a + 1] = p else b[#b + 1] = p end
  end
  return a, b
end

-- The build a plan takes first for this device, before a profile's framework
-- narrows the list: the one P.build walks, so `select` and `plan` name the
-- same, real tag (a plugin's own guess counts only when the tables have it).
function P.best_build(device, install)
  local cands = candidates(device, install, {}, nil)
  local c = cands and cands[1]
  if not c then return nil end
  return c.tag, c.reason
end

-- Does the profile need torchvision (needs = { "torchvision" })? Its torch
-- line must then be one torchvision is published for.
function P.needs_torchvision(profile)
  for _, n in ipairs(type(profile.needs) == "table" and profile.needs or {}) do
    if n == "torchvision" then return true end
  end
  return false
end

-- The GPU builds the tables offer for a device, best first: what
-- `plan --accelerator` accepts for it, the last-resort CPU build left out.
-- The recovery rules suggest builds from this list (lib/rules.lua).
function P.gpu_builds(device)
  local out = {}
  -- A device the planner will not take (its driver not loaded, a missing
  -- runtime) has no build to suggest: fixing the device comes first.
  if not P.eligible(device) then return out end
  for _, c in ipairs(candidates(device, nil, {}, nil) or {}) do
    if c.backend ~= last_backend() then out[#out + 1] = c.tag end
  end
  return out
end

-- options: { devices = inventory devices, env_root = "...", profile_path = "..." }
function P.build(profile, device, install, options)
  options = options or {}
  local notes, env = {}, {}
  local chosen, spec, framework = nil, nil, nil
  local cands, unavailable = candidates(device, install, profile, options.accelerator)
  if not cands then return { unavailable = unavailable } end
  for _, c in ipairs(cands) do
    local fw = P.framework_for(profile, c.backend)
    if not fw then
      notes[#notes + 1] = string.format("%s: profile %s names no framework for %s", c.tag, profile.name, c.backend)
    else
      local release = c.release
      -- Where the vendor says its wheels exist for every line (complete_release),
      -- take the newest complete one (with torchvision) over a partial newest
      -- line, unless the profile pins one. A profile that needs torchvision
      -- (needs = { "torchvision" }) gets a line with a torchvision pin on any
      -- vendor, one that publishes this build (else the next build is tried).
      local cv = choose.vendor(c.backend)
      local needs_tv = P.needs_torchvision(profile)
      if fw == "pytorch" and not profile.pytorch and cv and (cv.complete_release or needs_tv) then
        local r = release and choose.release(release)
        if r and ((cv.complete_release and r.partial) or (needs_tv and not r.torchvision)) then
          local rs = choose.releases()
          for i = #rs, 1, -1 do
            local has_tag = type(cv.has_torch_tag) ~= "function" or cv.has_torch_tag(rs[i], c.tag)
            if not rs[i].partial and (not needs_tv or rs[i].torchvision) and has_tag and V.le(rs[i].line, r.line) then
              notes[#notes + 1] = string.format("torch %s has no torchvision (%s); using %s", r.torch,
                r.torchvision_note or "a partial release", rs[i].torch)
              release = rs[i].line
              break
            end
          end
        end
      end
      -- The device's vendor names the facts its packages depend on.
      local dv = choose.vendor(device.backend)
      local popts = (dv and type(dv.package_options) == "function" and dv.package_options(device)) or {}
      popts.os = (cv and cv.os) or "linux"
      popts.driver_version = device.driver_version
      local s, why = choose.packages(fw, c.tag, release, popts)
      if s then
        chosen, spec, framework = c, s, fw
        break
      end
      notes[#notes + 1] = string.format("%s for %s: %s", fw, c.tag, why)
    end
  end
  if not chosen then error("no accelerator build of any framework fits profile " .. tostring(profile.name)) end
  if chosen.reason then notes[#notes + 1] = chosen.reason end
  append(notes, spec.notes)

  local target = device
  if chosen.backend == last_backend() and device.backend ~= last_backend() then
    target = cpu_device(options.devices)
    notes[#notes + 1] = string.format("%s%s (%s): no GPU build for it (%s); the plan runs on %s", P.PASSED_OVER,
      device.id or "?", device.name or "?", chosen.reason or "the tables offer only the CPU build", target.id)
  end

  -- Every GPU left out, with the device's own reason and the tables' verdict
  -- ("passed over: ..." notes, which `gpuhost plan` prints first).
  for _, d in ipairs(options.devices or {}) do
    if d.backend ~= last_backend() and not P.is_probe_cpu(d) and d.id ~= target.id and d.id ~= device.id then
      local why = P.passed_over(d, profile.min_memory_mib)
      if why and not P.eligible(d) then
        local cands = choose.accelerators(P.describe(d))
        why = why .. "; tables: " .. (cands[#cands].reason or "no GPU build")
      elseif why then
        why = why .. " for profile " .. tostring(profile.name)
      end
      if why then notes[#notes + 1] = string.format("%s%s (%s): %s", P.PASSED_OVER, d.id, d.name or "?", why) end
    end
  end

  for k, v in pairs(chosen.env or {}) do env[k] = v end
  for k, v in pairs(spec.env or {}) do env[k] = v end
  if install and chosen.backend == device.backend then
    for k, v in pairs(install.env or {}) do env[k] = v end
  end
  for k, v in pairs(profile.env or {}) do env[k] = v end

  local packages = {}
  append(packages, spec.packages)
  local extra = profile.packages
  if type(extra) == "function" then extra = extra(chosen.backend, framework) end
  for _, p in ipairs(extra or {}) do
    local name = p:match("^([%w%._%-]+)")
    local dup = false
    for i, q in ipairs(packages) do
      if q:match("^([%w%._%-]+)") == name then dup = true; if #p > #name then packages[i] = p end end
    end
    if not dup then packages[#packages + 1] = p end
  end

  -- Python: the profile's range, narrowed to what the PyTorch release ships wheels for.
  local python = { min = (profile.python or {}).min or "3.10", max = (profile.python or {}).max or "3.13" }
  local rel = framework == "pytorch" and spec.release and choose.release(spec.release)
  if rel and rel.python then
    if rel.python.min and V.gt(rel.python.min, python.min) then python.min = rel.python.min end
    if rel.python.max and V.lt(rel.python.max, python.max) then python.max = rel.python.max end
    if V.gt(python.min, python.max) then
      error(string.format("profile %s wants Python %s..%s but torch %s ships wheels for %s..%s only",
        profile.name, profile.python.min, profile.python.max, rel.torch, rel.python.min, rel.python.max))
    end
  end
  -- A build's own Python range (an adapter package with fewer wheels) narrows it further.
  if type(spec.python) == "table" then
    if spec.python.min and V.gt(spec.python.min, python.min) then python.min = spec.python.min end
    if spec.python.max and V.lt(spec.python.max, python.max) then python.max = spec.python.max end
    if V.gt(python.min, python.max) then
      error(string.format("profile %s wants Python %s..%s but the %s build has wheels for %s..%s only",
        profile.name, (profile.python or {}).min or "?", (profile.python or {}).max or "?", chosen.tag,
        spec.python.min or "?", spec.python.max or "?"))
    end
  end
  -- Index routing: the accelerator index serves only the builds made for the
  -- accelerator (and the companions they pin, such as triton); everything else
  -- comes from the user's own index (PyPI unless pip/uv/gpuhost is set up otherwise).
  local index_packages, index_label = P.index_packages(spec, framework, chosen)
  -- One environment per profile (what `gpuhost run` uses): a change of build
  -- recreates it, as its state file records the build it was made for.
  local env_path = (options.env_root or "envs") .. "/" .. profile.name
  local plan = {
    profile = profile.name,
    profile_path = options.profile_path or "",
    profile_env_version = profile.env_version or 1,
    tables_version = T.tables_version,
    device = target.id,
    device_name = target.name or "",
    backend = chosen.backend,
    accelerator = chosen.tag,
    torch_build = chosen.torch_build,
    framework = framework,
    python = python,
    index_url = spec.index_url or "",
    extra_index_urls = spec.extra_index_urls or {},
    index_packages = index_packages,
    index_label = index_label,
    packages = packages,
    env = env,
    env_path = env_path,
    notes = notes,
  }

  -- The precision the profile wants, against what the device reports.
  local prec = profile.precision or "fp32"
  if prec ~= "fp32" and target.backend ~= last_backend() and target.features and not has(target.features, prec) then
    notes[#notes + 1] = string.format("%s does not report %s support; %s work may fall back to fp32",
      target.id, prec, profile.name)
  end

  local smoke = profile.smoke_test
  if type(smoke) == "function" then smoke = smoke(plan) end
  plan.smoke_test = smoke or P.default_smoke_test(framework, chosen.backend, plan)

  plan.steps = {
    "resolve every package against its index before anything is created (gpuhost plan --check does only this)",
    string.format("create a virtual environment at %s with Python %s..%s (recreated when profile env_version %d or the plan changes)",
      env_path, plan.python.min, plan.python.max, plan.profile_env_version),
  }
  local from_index, from_default = P.route(plan)
  if #from_index > 0 then
    plan.steps[#plan.steps + 1] = string.format("install %s from %s only (no other index is asked for them)",
      table.concat(from_index, " "), plan.index_url)
    plan.steps[#plan.steps + 1] = string.format("install %s from the default index, holding the builds above",
      #from_default > 0 and table.concat(from_default, " ") .. " and their dependencies" or "their dependencies")
  else
    plan.steps[#plan.steps + 1] = "install " .. table.concat(packages, " ") .. " from the default index"
  end
  local keys = {}
  for k in pairs(env) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do plan.steps[#plan.steps + 1] = "set " .. k .. "=" .. env[k] .. " in the environment's activation" end
  plan.steps[#plan.steps + 1] = "verify: run the " .. target.backend .. " plugin's compute kernel on " .. target.id
  plan.steps[#plan.steps + 1] = "smoke test: " .. framework .. " computes on " .. target.id .. " (exits non-zero otherwise)"
  if type(profile.run) == "function" then
    plan.steps[#plan.steps + 1] = "then the profile's own run() flow"
  end
  return plan
end

-- Score a profile for this machine, 0..100, with the reasons. `chosen_id`:
-- the device the user's policy picks (the host applies it as select does);
-- without it, the top of the tables' ranking.
function P.score(profile, devices, chosen_id)
  local ranked = P.rank(devices, {})
  local reasons, score = {}, 100
  local best
  local want = chosen_id or (ranked[1] and ranked[1].id)
  for _, d in ipairs(devices) do if want and d.id == want then best = d end end
  if not best then return 0, { "no usable device" } end

  local cands = choose.accelerators(P.describe(best))
  local gpu_build = cands[1] and cands[1].backend ~= last_backend()
  local target = gpu_build and best or cpu_device(devices)
  if best.backend == last_backend() then
    local gpus = {}
    for _, d in ipairs(devices) do
      if d.backend ~= last_backend() and not P.is_probe_cpu(d) then
        gpus[#gpus + 1] = d.id .. " not usable: " .. (d.reason or "?")
      end
    end
    reasons[#reasons + 1] = #gpus > 0 and table.concat(gpus, "; ") or "no GPU: CPU only"
  elseif gpu_build then
    reasons[#reasons + 1] = string.format("%s has a %s build (%s)", best.id, cands[1].tag, best.name or "")
  else
    reasons[#reasons + 1] = string.format("no GPU build for %s: %s", best.id, cands[#cands].reason or "")
  end
  local gpu = profile.gpu or "preferred"
  if target.backend == last_backend() then
    if gpu == "required" then score = score - 70; reasons[#reasons + 1] = "needs a GPU"
    elseif gpu == "preferred" then score = score - 35; reasons[#reasons + 1] = "runs on the CPU, slowly"
    else reasons[#reasons + 1] = "runs well on the CPU" end
  end

  local mem = memory_mib(target)
  local need = profile.min_memory_mib or 0
  if mem and mem < need then
    score = score - 40
    reasons[#reasons + 1] = string.format("needs %d MiB, %s has %d MiB", need, target.id, mem)
  elseif mem then
    reasons[#reasons + 1] = string.format("memory: %d MiB >= %d MiB", mem, need)
  else
    reasons[#reasons + 1] = "memory size unknown"
    score = score - 5
  end

  local prec = profile.precision or "fp32"
  if prec ~= "fp32" then
    if target.backend == last_backend() then
      score = score - 10
      reasons[#reasons + 1] = prec .. " on the CPU is emulated or slow"
    elseif target.features and not has(target.features, prec) then
      score = score - 15
      reasons[#reasons + 1] = target.id .. " does not report " .. prec
    else
      reasons[#reasons + 1] = prec .. " supported"
    end
  end
  if score < 0 then score = 0 end
  return score, reasons
end

return P
