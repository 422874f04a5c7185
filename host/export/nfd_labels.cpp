#include "nfd_labels.hpp"

#include "label_text.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace gpuhost::fleet {

namespace {

// "cuda:0" -> "cuda-0": ':' is not allowed in a label name.
std::string id_segment(const std::string &id) {
    std::string s = id;
    std::replace(s.begin(), s.end(), ':', '-');
    return label_value(s);
}

class LabelWriter {
public:
    LabelWriter(Labels &out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}
    // Empty values are left out: a label that says "unknown" helps no scheduler.
    void add(const std::string &name, const std::string &raw) {
        std::string value = label_value(raw);
        if (value.empty() || !is_label_name(name)) return;
        out_.emplace_back(prefix_ + "/" + name, value);
    }

private:
    Labels &out_;
    std::string prefix_;
};

}  // namespace

Labels nfd_labels(const FleetView &view, const std::string &prefix) {
    Labels labels;
    LabelWriter w(labels, prefix);
    std::vector<const ExportDevice *> accelerators;
    for (const auto &d : view.devices)
        if (is_accelerator(d)) accelerators.push_back(&d);
    auto usable = std::count_if(accelerators.begin(), accelerators.end(), [](auto *d) { return d->usable; });
    w.add("accelerators.count", std::to_string(accelerators.size()));
    w.add("accelerators.usable", std::to_string(usable));

    std::vector<std::string> vendors;
    for (auto *d : accelerators)
        if (std::find(vendors.begin(), vendors.end(), d->vendor) == vendors.end()) vendors.push_back(d->vendor);
    for (const auto &vendor : vendors) {
        std::vector<const ExportDevice *> mine;
        for (auto *d : accelerators)
            if (d->vendor == vendor) mine.push_back(d);
        // The group speaks for its first usable device (else its first): the one a
        // pod landing here would most likely get.
        const ExportDevice *lead = mine.front();
        for (auto *d : mine)
            if (d->usable) {
                lead = d;
                break;
            }
        std::string v = label_value(vendor);
        w.add(v + ".count", std::to_string(mine.size()));
        w.add(v + ".usable", std::to_string(std::count_if(mine.begin(), mine.end(), [](auto *d) { return d->usable; })));
        w.add(v + ".product", lead->name);
        long long least = -1;
        for (auto *d : mine)
            if (d->memory_mib && (least < 0 || *d->memory_mib < least)) least = *d->memory_mib;
        if (least >= 0) w.add(v + ".memory-mib", std::to_string(least));
        w.add(v + ".driver", lead->driver_version);
        if (!lead->runtime_name.empty()) w.add(v + "." + label_value(lead->runtime_name), lead->runtime_version);
        w.add(v + ".arch", lead->architecture);
        w.add(v + ".best-build", lead->best_build);
    }

    for (auto *d : accelerators) {
        std::string s = id_segment(d->id);
        w.add(s + ".product", d->name);
        if (d->memory_mib) w.add(s + ".memory-mib", std::to_string(*d->memory_mib));
        w.add(s + ".arch", d->architecture);
        w.add(s + ".best-build", d->best_build);
        w.add(s + ".usable", d->usable ? "true" : "false");
        if (!d->last_verified_at.empty()) w.add(s + ".verified", "true");
    }
    return labels;
}

std::string nfd_feature_file(const Labels &labels, const std::string &expiry_rfc3339) {
    std::string out = "# gpuhost export nfd: accelerators as node labels; NFD drops them after the expiry time\n";
    out += "# +expiry-time=" + expiry_rfc3339 + "\n";
    for (const auto &[name, value] : labels) out += name + "=" + value + "\n";
    return out;
}

std::string rfc3339_from_now(long long seconds_from_now) {
    std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + std::time_t(seconds_from_now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace gpuhost::fleet
