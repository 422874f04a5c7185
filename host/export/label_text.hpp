// Turning free text (product names, versions) into Kubernetes label values and
// names, by the rules NFD applies to local feature files (Kubernetes "Labels and
// Selectors", Syntax and character set:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set):
// a name or value is at most 63 characters of [A-Za-z0-9._-], beginning and
// ending with a letter or digit (a value may be empty); a prefix is a DNS
// subdomain of at most 253 characters.
#pragma once
#include <string>

namespace gpuhost::fleet {

// "NVIDIA H100 80GB HBM3" -> "NVIDIA-H100-80GB-HBM3"; "Intel(R) Arc(TM)" -> "Intel-R-Arc-TM".
std::string label_value(const std::string &text);

bool is_label_name(const std::string &name);    // the part after the prefix's '/'
bool is_label_value(const std::string &value);
bool is_dns_subdomain(const std::string &prefix);

}  // namespace gpuhost::fleet
