-- scripts/lib/tables.lua
--
-- Loads the version tables and the generic chooser from the script path,
-- file by file, so a user's copy of one table (say tables/pytorch.lua in
-- ~/.local/share/gpuhost/scripts) replaces only that table. A vendor's own
-- table is loaded when the vendor first asks for it: T.table("name").
--
--   local T = require("lib.tables")
--   T.choose.accelerators(device)   -- asks the vendor that owns device.backend

local version = dofile("lib/version.lua")
local tables = {}
for _, name in ipairs({ "pytorch", "frameworks" }) do
  tables[name] = dofile("tables/" .. name .. ".lua")
end
-- The vendors the host loaded from the plugin folders (sdk/docs/VENDORS.md).
tables.vendors = function()
  return (gpuhost and gpuhost.vendors) or {}
end

local T = {
  choose = dofile("lib/choose.lua")(tables, version),
  version = version,
  tables = tables,
  -- The newest PyTorch line the tables know stands for their version.
  tables_version = "pytorch-" .. (function()
    local rs = tables.pytorch.releases or {}
    return rs[#rs] and rs[#rs].line or "unknown"
  end)(),
}

-- tables/<name>.lua, loaded once.
function T.table(name)
  if type(name) ~= "string" or not name:match("^[%w_]+$") then error("T.table: bad table name " .. tostring(name), 2) end
  if tables[name] == nil then tables[name] = dofile("tables/" .. name .. ".lua") end
  return tables[name]
end

return T
