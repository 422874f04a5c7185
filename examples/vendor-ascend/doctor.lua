-- doctor.lua: `gpuhost doctor` checks for Ascend machines. Each check reads
-- files through the sysroot and runs tools through gpuhost's runner
-- (gpuhost.sysroot_read / sysroot_exists / sysroot_list / tool), so a
-- recorded machine replays. A check returns nil when it does not apply, else
-- { severity = "ok"|"info"|"warning"|"error"|"critical", summary = ..., fix = ... }.
local function ascend_functions()
  local found = {}
  for _, slot in ipairs(gpuhost.sysroot_list("/sys/bus/pci/devices") or {}) do
    local dir = "/sys/bus/pci/devices/" .. slot
    local vendor = (gpuhost.sysroot_read(dir .. "/vendor") or ""):match("^%s*(%S+)")
    local class = (gpuhost.sysroot_read(dir .. "/class") or ""):match("^%s*(%S+)")
    if vendor == "0x19e5" and class and class:sub(1, 4) == "0x12" then found[#found + 1] = slot end
  end
  return found
end

local function cann_version()
  for _, arch in ipairs({ "aarch64", "x86_64" }) do
    local text = gpuhost.sysroot_read("/usr/local/Ascend/ascend-toolkit/latest/" .. arch .. "-linux/ascend_toolkit_install.info")
    local v = text and text:match("\nversion=([^\n]+)") or (text and text:match("^version=([^\n]+)"))
    if v then return v end
  end
  return nil
end

return {
  {
    id = "ascend_driver",
    run = function()
      local npus = ascend_functions()
      if #npus == 0 then return nil end
      local smi = gpuhost.tool({ "npu-smi", "info" })
      if smi.exit_code == 127 then
        return { severity = "error", summary = #npus .. " Ascend NPU(s) on the PCI bus, but npu-smi is not installed",
                 fix = "install the Ascend driver package (Ascend HDK) for this card" }
      end
      if smi.exit_code ~= 0 then
        return { severity = "error", summary = "npu-smi info failed (exit " .. smi.exit_code .. ")",
                 fix = "reinstall the Ascend firmware, then the driver, and reboot" }
      end
      if not gpuhost.sysroot_exists("/dev/davinci_manager") then
        return { severity = "critical", summary = "/dev/davinci_manager is missing: the Ascend driver is not loaded",
                 fix = "load the driver (reboot after installing it)" }
      end
      -- A plain find, then an anchored pattern on a short tail: the host charges
      -- Lua patterns their worst case, which grows with the subject's length.
      local at = smi.output:find("Version:", 1, true)
      local version = at and smi.output:sub(at + 8, at + 40):match("^%s*([%w%.%-]+)") or "?"
      return { severity = "ok", summary = #npus .. " Ascend NPU(s), npu-smi " .. version }
    end,
  },
  {
    id = "ascend_cann",
    run = function()
      if #ascend_functions() == 0 then return nil end
      local v = cann_version()
      if not v then
        return { severity = "warning", summary = "no CANN toolkit under /usr/local/Ascend/ascend-toolkit/latest",
                 fix = "install the CANN toolkit matching the driver, then source /usr/local/Ascend/ascend-toolkit/set_env.sh" }
      end
      return { severity = "ok", summary = "CANN toolkit " .. v }
    end,
  },
}
