-- scripts/lib/tables.lua
--
-- Loads the version tables and the selection functions from the script path,
-- file by file, so a user's copy of one table (say tables/pytorch.lua in
-- ~/.local/share/gpuhost/scripts) replaces only that table.
--
--   local T = require("lib.tables")
--   T.choose.accelerators({backend = "cuda", driver_version = "535.104.05", architecture = "8.6"})

local version = dofile("lib/version.lua")
local tables = {}
for _, name in ipairs({ "nvidia_driver_cuda", "pytorch", "rocm", "intel", "apple", "frameworks" }) do
  tables[name] = dofile("tables/" .. name .. ".lua")
end

return {
  choose = dofile("lib/choose.lua")(tables, version),
  version = version,
  tables = tables,
  -- The newest PyTorch line the tables know stands for their version.
  tables_version = "pytorch-" .. (function()
    local rs = tables.pytorch.releases or {}
    return rs[#rs] and rs[#rs].line or "unknown"
  end)(),
}
