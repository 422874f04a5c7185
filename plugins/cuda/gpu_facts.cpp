#include "gpu_facts.hpp"

#include "gpuhost/text.hpp"


namespace gpuhost::cuda {

std::string cuda_version_text(int v) {
    if (v <= 0) return {};
    return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

std::string normalise_bus_id(const std::string &text) { return text::normalize_pci_bus_id(text); }

}  // namespace gpuhost::cuda
