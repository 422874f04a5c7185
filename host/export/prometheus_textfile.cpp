#include "prometheus_textfile.hpp"

#include <cstdio>
#include <ctime>
#include <functional>
#include <sstream>

namespace gpuhost::fleet {

namespace {

// Numbers as Go's strconv parses them; integers stay integers.
std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// "2026-11-30T12:00:00Z" -> Unix seconds; nullopt when it is not that shape.
std::optional<long long> unix_seconds(const std::string &iso) {
    std::tm tm{};
    if (iso.size() < 20 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return std::nullopt;
    return static_cast<long long>(timegm(&tm));
}

class MetricWriter {
public:
    explicit MetricWriter(std::ostringstream &out) : out_(out) {}
    // One family: HELP and TYPE once, then a sample per call of `each`.
    void gauge(const std::string &name, const std::string &help,
               const std::function<void(const std::function<void(const std::string &, const std::string &)> &)> &each) {
        std::ostringstream samples;
        each([&](const std::string &labels, const std::string &value) {
            samples << name << "{" << labels << "} " << value << "\n";
        });
        if (samples.str().empty()) return;  // a family without samples would only be noise
        out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n" << samples.str();
    }

private:
    std::ostringstream &out_;
};

std::string label(const std::string &name, const std::string &value) {
    return name + "=\"" + prometheus_label_escape(value) + "\"";
}

}  // namespace

std::string prometheus_label_escape(const std::string &value) {
    std::string out;
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string prometheus_textfile(const FleetView &view) {
    std::ostringstream out;
    MetricWriter w(out);
    auto id_label = [](const ExportDevice &d) { return label("device", d.id); };

    w.gauge("gpuhost_device_info", "Each device gpuhost detected; the labels describe it, the value is always 1.",
            [&](auto emit) {
                for (const auto &d : view.devices)
                    emit(id_label(d) + "," + label("vendor", d.vendor) + "," + label("backend", d.backend) + "," +
                             label("name", d.name) + "," + label("type", d.type) + "," +
                             label("architecture", d.architecture) + "," + label("driver", d.driver_version) + "," +
                             label("runtime", d.runtime_name.empty() ? "" : d.runtime_name + " " + d.runtime_version) +
                             "," + label("best_build", d.best_build) + "," + label("pci_bus_id", d.pci_bus_id) + "," +
                             label("reason", d.usable ? "" : d.reason),
                         "1");
            });
    w.gauge("gpuhost_device_usable", "1 when ML work can run on the device now, 0 when not (see the info metric's reason).",
            [&](auto emit) {
                for (const auto &d : view.devices) emit(id_label(d), d.usable ? "1" : "0");
            });
    w.gauge("gpuhost_device_memory_bytes", "The device's total memory as its driver reports it.", [&](auto emit) {
        for (const auto &d : view.devices)
            if (d.memory_bytes) emit(id_label(d), std::to_string(*d.memory_bytes));
    });
    w.gauge("gpuhost_device_last_verified_timestamp_seconds",
            "When a gpuhost environment last passed its kernel check and smoke test on the device (Unix time).",
            [&](auto emit) {
                for (const auto &d : view.devices)
                    if (auto t = unix_seconds(d.last_verified_at)) emit(id_label(d), std::to_string(*t));
            });
    w.gauge("gpuhost_device_bench_bytes_per_second",
            "Memory throughput of a verified gpuhost bench kernel on the device.", [&](auto emit) {
                for (const auto &d : view.devices)
                    for (const auto &[kernel, f] : d.bench)
                        if (f.gbps > 0) emit(id_label(d) + "," + label("kernel", kernel), number(f.gbps * 1e9));
            });
    w.gauge("gpuhost_device_bench_flops_per_second",
            "Floating-point operations per second of a verified gpuhost bench kernel on the device.", [&](auto emit) {
                for (const auto &d : view.devices)
                    for (const auto &[kernel, f] : d.bench)
                        if (f.gflops > 0) emit(id_label(d) + "," + label("kernel", kernel), number(f.gflops * 1e9));
            });
    return out.str();
}

}  // namespace gpuhost::fleet
