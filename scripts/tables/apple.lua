-- scripts/tables/apple.lua
--
-- Apple silicon / Metal (MPS) backend of PyTorch.
--
-- MPS is built into the ordinary macOS arm64 wheels: plain `pip install torch`
-- from PyPI (no special index). The macOS arm64 wheels on
-- https://download.pytorch.org/whl/cpu carry MPS as well.

return {
  index_url = nil,                 -- default PyPI
  arch = "arm64",

  -- Minimum macOS for torch.backends.mps.is_available(), by torch line.
  -- Sources:
  --   * 12.3: the runtime error text "The MPS backend is supported on MacOS
  --     12.3+" (pytorch/pytorch issues 78343, 100879) - MPS arrived in 1.12.
  --   * 13.0 from 2.5: PR pytorch/pytorch#133141 (Aug 2024, 2.5 cycle)
  --     "Delete MacOS-12.3 specific checks"; issue 139425: 2.5.1 on macOS
  --     12.7.6 finds no MPS device, maintainer: "you need MacOS 13.0".
  --   * 14.0 from 2.9: PR pytorch/pytorch#162921: "in 2.9+ MPS is only
  --     supported on MacOS Sonoma+"; issue 164943 (2.10 nightly on 13.7.4:
  --     MPS unavailable).
  mps_min_macos = {
    { torch_from = "1.12", macos = "12.3" },
    { torch_from = "2.5",  macos = "13.0" },
    { torch_from = "2.9",  macos = "14.0" },
  },

  -- torch's own minimum macOS for the arm64 wheels. Source: RELEASE.md
  -- "Operating Systems": "Builds should be compatible with macOS 11 (Big Sur)
  -- or newer, but are actively tested against macOS 14 (Sonoma). MPS support
  -- is enabled on macOS 14 (Sonoma) or later."
  wheel_min_macos = "11.0",
  tested_macos = "14.0",

  -- Intel Macs: PR pytorch/pytorch#141182 (Nov 2024) "Remove mention of
  -- Intel Macs ... as we are no longer supporting those". The last torch
  -- line with macOS x86_64 wheels (2.2) is recalled, not verified here.
  intel_mac_last_torch = "2.2",
}
