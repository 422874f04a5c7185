-- scripts/tables/nvidia_driver_cuda.lua
--
-- CUDA toolkit release -> minimum NVIDIA display driver.
--
-- Source for every row of `toolkits` (unless a row says otherwise):
--   NVIDIA CUDA Toolkit Release Notes, "CUDA Toolkit and Corresponding Driver
--   Versions" table (docs.nvidia.com/cuda/cuda-toolkit-release-notes, the
--   13.1 / 13.2 editions, which carry the full history back to 7.0).
-- Windows "nil": the table says N/A (from 13.0 the Windows toolkit no longer
-- bundles a display driver, so NVIDIA stopped listing a Windows build).
--
-- Each toolkit *minor* line is listed with its GA row first; later update rows
-- are kept for completeness. Code that asks "which driver does CUDA 12.4
-- need?" should use the GA row (the smallest requirement of that line).

return {
  toolkits = {
    -- 11.x --------------------------------------------------------------
    -- 11.0: the table lists 11.0.1 RC / 11.0.2 GA / 11.0.3 Update 1.
    { cuda = "11.0", release = "11.0.2 GA",       linux = "450.51.05",  windows = "451.48" },
    { cuda = "11.0", release = "11.0.3 Update 1", linux = "450.51.06",  windows = "451.82" },
    { cuda = "11.1", release = "11.1 GA",         linux = "455.23",     windows = "456.38" },
    { cuda = "11.1", release = "11.1.1 Update 1", linux = "455.32",     windows = "456.81" },
    { cuda = "11.2", release = "11.2.0 GA",       linux = "460.27.03",  windows = "460.82" },
    { cuda = "11.2", release = "11.2.1 Update 1", linux = "460.32.03",  windows = "461.09" },
    { cuda = "11.2", release = "11.2.2 Update 2", linux = "460.32.03",  windows = "461.33" },
    { cuda = "11.3", release = "11.3.0 GA",       linux = "465.19.01",  windows = "465.89" },
    { cuda = "11.3", release = "11.3.1 Update 1", linux = "465.19.01",  windows = "465.89" },
    { cuda = "11.4", release = "11.4.0 GA",       linux = "470.42.01",  windows = "471.11" },
    { cuda = "11.4", release = "11.4 Update 1",   linux = "470.57.02",  windows = "471.41" },
    { cuda = "11.4", release = "11.4 Update 2",   linux = "470.57.02",  windows = "471.41" },
    { cuda = "11.4", release = "11.4 Update 3",   linux = "470.82.01",  windows = "472.50" },
    { cuda = "11.4", release = "11.4 Update 4",   linux = "470.82.01",  windows = "472.50" },
    { cuda = "11.5", release = "11.5 GA",         linux = "495.29.05",  windows = "496.04" },
    { cuda = "11.5", release = "11.5 Update 1",   linux = "495.29.05",  windows = "496.13" },
    { cuda = "11.5", release = "11.5 Update 2",   linux = "495.29.05",  windows = "496.13" },
    { cuda = "11.6", release = "11.6 GA",         linux = "510.39.01",  windows = "511.23" },
    { cuda = "11.6", release = "11.6 Update 1",   linux = "510.47.03",  windows = "511.65" },
    { cuda = "11.6", release = "11.6 Update 2",   linux = "510.47.03",  windows = "511.65" },
    { cuda = "11.7", release = "11.7 GA",         linux = "515.43.04",  windows = "516.01" },
    { cuda = "11.7", release = "11.7 Update 1",   linux = "515.48.07",  windows = "516.31" },
    { cuda = "11.8", release = "11.8 GA",         linux = "520.61.05",  windows = "520.06" },
    -- 12.x --------------------------------------------------------------
    { cuda = "12.0", release = "12.0 GA",         linux = "525.60.13",  windows = "527.41" },
    { cuda = "12.0", release = "12.0 Update 1",   linux = "525.85.12",  windows = "528.33" },
    { cuda = "12.1", release = "12.1 GA",         linux = "530.30.02",  windows = "531.14" },
    { cuda = "12.1", release = "12.1 Update 1",   linux = "530.30.02",  windows = "531.14" },
    { cuda = "12.2", release = "12.2 GA",         linux = "535.54.03",  windows = "536.25" },
    { cuda = "12.2", release = "12.2 Update 1",   linux = "535.86.09",  windows = "536.67" },
    { cuda = "12.2", release = "12.2 Update 2",   linux = "535.104.05", windows = "537.13" },
    { cuda = "12.3", release = "12.3 GA",         linux = "545.23.06",  windows = "545.84" },
    { cuda = "12.3", release = "12.3 Update 1",   linux = "545.23.08",  windows = "546.12" },
    { cuda = "12.4", release = "12.4 GA",         linux = "550.54.14",  windows = "551.61" },
    { cuda = "12.4", release = "12.4 Update 1",   linux = "550.54.15",  windows = "551.78" },
    { cuda = "12.5", release = "12.5 GA",         linux = "555.42.02",  windows = "555.85" },
    { cuda = "12.5", release = "12.5 Update 1",   linux = "555.42.06",  windows = "555.85" },
    { cuda = "12.6", release = "12.6 GA",         linux = "560.28.03",  windows = "560.76" },
    { cuda = "12.6", release = "12.6 Update 1",   linux = "560.35.03",  windows = "560.94" },
    { cuda = "12.6", release = "12.6 Update 2",   linux = "560.35.03",  windows = "560.94" },
    { cuda = "12.6", release = "12.6 Update 3",   linux = "560.35.05",  windows = "561.17" },
    -- (there is no 12.7 toolkit; the table goes 12.6 Update 3 -> 12.8 GA)
    { cuda = "12.8", release = "12.8 GA",         linux = "570.26",     windows = "570.65" },
    { cuda = "12.8", release = "12.8 Update 1",   linux = "570.124.06", windows = "572.61" },
    { cuda = "12.9", release = "12.9 GA",         linux = "575.51.03",  windows = "576.02" },
    { cuda = "12.9", release = "12.9 Update 1",   linux = "575.57.08",  windows = "576.57" },
    -- 13.x --------------------------------------------------------------
    { cuda = "13.0", release = "13.0 GA",         linux = "580.65.06",  windows = nil },
    { cuda = "13.0", release = "13.0 Update 1",   linux = "580.82.07",  windows = nil },
    { cuda = "13.0", release = "13.0 Update 2",   linux = "580.95.05",  windows = nil },
    { cuda = "13.1", release = "13.1 GA",         linux = "590.44.01",  windows = nil },
    { cuda = "13.1", release = "13.1 Update 1",   linux = "590.48.01",  windows = nil },
    { cuda = "13.2", release = "13.2 GA",         linux = "595.45.04",  windows = nil },
    { cuda = "13.2", release = "13.2 Update 1",   linux = "595.58.03",  windows = nil },
    { cuda = "13.2", release = "13.2 Update 2",   linux = "595.71.05",  windows = nil },
  },

  -- CUDA minor-version compatibility: from CUDA 11 on, an application built
  -- with any toolkit of a major family runs (with a limited feature set, e.g.
  -- no JIT of PTX newer than the driver) on any driver at or above the
  -- family floor.
  -- Sources:
  --   * NVIDIA CUDA Compatibility guide, "Minor Version Compatibility",
  --     Table 1 (docs.nvidia.com/deploy/cuda-compatibility/minor-version-
  --     compatibility.html): 13.x ">= 580", 12.x ">= 525 (< 580)",
  --     11.x ">= 450 (< 525)".
  --   * CUDA release notes footnote: "by upgrading to ... 450.80.02 (Linux) /
  --     452.39 (Windows), minor version compatibility is possible across the
  --     CUDA 11.x family".
  --   * 12.x exact floor 525.60.13 / 527.41 = the CUDA 12.0 GA row above
  --     (also the floor the JAX install docs quote: ">= 525.60.13 for CUDA 12").
  --   * 13.x exact floor 580.65.06 = the CUDA 13.0 GA row above. The
  --     Windows value "580" is only the branch number from the compatibility
  --     table (NVIDIA lists no exact Windows build for 13.x).
  -- The "< 525" / "< 580" upper bounds in NVIDIA's table only describe where
  -- the *minor-compat* mode applies; a newer driver still runs older
  -- toolkits through ordinary backward compatibility.
  minor_compat = {
    { major = 11, linux = "450.80.02", windows = "452.39" },
    { major = 12, linux = "525.60.13", windows = "527.41" },
    { major = 13, linux = "580.65.06", windows = "580" },
  },

  -- Compute capabilities a toolkit major can still compile for.
  -- Source: CUDA 13.x release notes, "Deprecated Architectures": "Offline
  -- compilation and library support for [Maxwell, Pascal, and Volta] have
  -- been removed in CUDA Toolkit 13.0" (so 13.x targets start at 7.5);
  -- CUDA 12.x dropped Kepler (PyTorch PR #101187 "Kepler ... is no longer
  -- supported by CUDA 12"), leaving 5.0 as the lowest 12.x target.
  min_cc_by_major = {
    -- 11.x: PyTorch cu111/cu113 packages still carried sm_35 kernels
    -- (moi90/pytorch_compute_capabilities table.md, e.g. pytorch-1.10.0
    -- cuda11.1/11.3: sm_35 ... sm_86).
    [11] = "3.5",
    [12] = "5.0",
    [13] = "7.5",
  },
}
