// The machine's wheel-variant properties as static JSON: what the NVIDIA, AMD,
// Intel and x86-64 providers would report (variant_providers.hpp), machine-wide
// and per device, namespaces in the order of gpuhost's device ranking. The
// nesting namespace -> feature -> values follows the variant metadata of
// PEP 825 (Draft, 17-Feb-2026, "Appendix: JSON Schema for Variant Metadata");
// values are listed most preferred first, as the providers return them.
#pragma once
#include "fleet_view.hpp"

#include <boost/json.hpp>

namespace gpuhost::fleet {

boost::json::object wheel_variants(const FleetView &view);

// "nvidia :: sm_arch :: 90_real" for every machine-wide property, in order.
std::vector<std::string> variant_property_strings(const boost::json::object &variants);

}  // namespace gpuhost::fleet
