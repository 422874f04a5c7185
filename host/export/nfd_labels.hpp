// NFD local feature file: node labels for Kubernetes node-feature-discovery's
// `local` source (features.d/). Format, per NFD's customization guide, "Local
// feature source" (kubernetes-sigs/node-feature-discovery docs/usage/customization-guide.md):
// one `<prefix>/<name>[=<value>]` per line, `#` comments, an optional
// `# +expiry-time=<RFC 3339>` directive after which NFD ignores the lines
// below it, files at most 64 kB, dot-files ignored (write `.name`, rename).
#pragma once
#include "fleet_view.hpp"

#include <string>
#include <utility>
#include <vector>

namespace gpuhost::fleet {

inline constexpr const char *kDefaultLabelPrefix = "gpuhost.io";

using Labels = std::vector<std::pair<std::string, std::string>>;  // full name -> value, in file order

// Machine totals, one group per vendor (count, usable, product, memory, driver,
// runtime version, architecture, best build), then each accelerator by id.
Labels nfd_labels(const FleetView &view, const std::string &prefix = kDefaultLabelPrefix);

// The whole file: a comment, the expiry directive, the labels.
std::string nfd_feature_file(const Labels &labels, const std::string &expiry_rfc3339);

// RFC 3339 UTC, `seconds_from_now` ahead: "2026-12-01T01:00:00Z".
std::string rfc3339_from_now(long long seconds_from_now);

}  // namespace gpuhost::fleet
