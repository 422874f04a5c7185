// nvidia-smi's outputs (table, -q, -q -x, -L, --query-gpu CSV, its failure
// text) and the NVIDIA procfs files (/proc/driver/nvidia/version, gpus/*/
// information, the Tegra release file). The parsers promise never to throw;
// a GPU they report must become a record the host accepts.
#include "fuzz_support.hpp"
#include "record_check.hpp"

#include "nvidia_procfs.hpp"
#include "nvidia_smi_parse.hpp"
#include "record_builder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string text = fuzz::text(data, size);
    cuda::SignalReport reports[] = {cuda::parse_smi_table(text), cuda::parse_smi_query(text), cuda::parse_smi_xml(text),
                                    cuda::parse_smi_list(text), cuda::parse_smi_csv(text), cuda::parse_smi_failure(text)};
    bool open_module = false;
    cuda::parse_nvrm_version(text, &open_module);
    cuda::parse_gpu_information(text);
    cuda::parse_tegra_release(text);
    for (auto &report : reports) {
        cuda::Signals signals;
        signals.smi = report;
        fuzz::check_records(cuda::build_records(signals).devices);
    }
    return 0;
}
