// A node-exporter textfile-collector file (*.prom) in Prometheus' text
// exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/):
// `# HELP` and `# TYPE` before each metric's samples, label values with `\`,
// `"` and newlines escaped, and no sample timestamps (the textfile collector
// rejects them). Units in the names are base units, as Prometheus' naming
// guide asks (bytes, seconds).
#pragma once
#include "fleet_view.hpp"

#include <string>

namespace gpuhost::fleet {

// gpuhost_device_info (labels), gpuhost_device_usable, gpuhost_device_memory_bytes,
// gpuhost_device_last_verified_timestamp_seconds, gpuhost_device_bench_bytes_per_second,
// gpuhost_device_bench_flops_per_second; every device of the inventory.
std::string prometheus_textfile(const FleetView &view);

// "a\"b\\c\nd" -> a\"b\\c\nd, for a label value between quotes.
std::string prometheus_label_escape(const std::string &value);

}  // namespace gpuhost::fleet
