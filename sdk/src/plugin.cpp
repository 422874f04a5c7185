#include "gpuhost/plugin.hpp"

#include <algorithm>
#include <stdexcept>

namespace gpuhost::sdk {

namespace {
void append(void *ctx, const char *text, size_t length) {
    static_cast<std::string *>(ctx)->append(text, length);
}
}  // namespace

ToolResult Host::run(const std::vector<std::string> &argv) const {
    ToolResult result;
    if (!raw_ || !raw_->run_tool || argv.empty()) return result;
    std::vector<const char *> args;
    for (const auto &a : argv) args.push_back(a.c_str());
    args.push_back(nullptr);
    result.exit_code = raw_->run_tool(raw_->ctx, args.data(), &append, &result.output);
    return result;
}

void Host::log(gpuhost_log_level level, const std::string &message) const {
    if (raw_ && raw_->log) raw_->log(raw_->ctx, level, message.c_str());
}

json::object Plugin::score(Host &host, const json::object &device, const json::object &workload) {
    return score_device(device, workload, install(host, device));
}

gpuhost_status Plugin::kernel(Host &, const json::object &, gpuhost_kernel_args &, std::string &message) {
    message = "this plugin has no kernels";
    return GPUHOST_ERR_UNSUPPORTED;
}

json::object detail::parse_object(const char *text, const char *what) {
    if (!text) throw std::invalid_argument(std::string(what) + " JSON is missing");
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    if (ec || !value.is_object())
        throw std::invalid_argument(std::string(what) + " is not a JSON object");
    return value.as_object();
}

static double number_or(const json::object &o, const char *key, double fallback) {
    auto it = o.find(key);
    if (it == o.end()) return fallback;
    if (it->value().is_int64()) return double(it->value().as_int64());
    if (it->value().is_uint64()) return double(it->value().as_uint64());
    if (it->value().is_double()) return it->value().as_double();
    return fallback;
}

static std::string string_or(const json::object &o, const char *key, std::string fallback = {}) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : fallback;
}

json::object score_device(const json::object &device, const json::object &workload,
                          const json::object &install) {
    json::array reasons;
    auto result = [&](int score) {
        return json::object{{"score", std::clamp(score, 0, 100)}, {"reasons", reasons}};
    };
    auto usable = device.find("usable");
    if (usable != device.end() && usable->value().is_bool() && !usable->value().as_bool()) {
        reasons.emplace_back("unusable: " + string_or(device, "reason", "no reason given"));
        return result(0);
    }
    std::string type = string_or(device, "type");
    int score = type == "discrete" ? 70 : type == "integrated" ? 45 : type == "cpu" ? 20 : 10;
    reasons.emplace_back(type + " device: base " + std::to_string(score));

    double need_mib = number_or(workload, "min_memory_mib", 0);
    double total_mib = 0;
    if (auto m = device.find("memory"); m != device.end() && m->value().is_object())
        total_mib = number_or(m->value().as_object(), "total_bytes", 0) / (1024.0 * 1024.0);
    if (need_mib > 0 && total_mib <= 0 && type != "cpu") {
        // A stated minimum cannot be met by memory nobody could measure.
        reasons.emplace_back("memory size unknown, workload needs " + std::to_string(int(need_mib)) + " MiB");
        return result(0);
    }
    if (need_mib > 0 && total_mib > 0) {
        if (total_mib < need_mib) {
            reasons.emplace_back("has " + std::to_string(int(total_mib)) + " MiB, workload needs " +
                                 std::to_string(int(need_mib)) + " MiB");
            return result(0);
        }
        int headroom = int(std::min(15.0, 15.0 * (total_mib / need_mib - 1.0) / 3.0));
        score += headroom;
        reasons.emplace_back("memory " + std::to_string(int(total_mib)) + " MiB for " +
                             std::to_string(int(need_mib)) + " MiB needed: +" + std::to_string(headroom));
    }
    else if (need_mib <= 0 && total_mib > 0 && type != "cpu") {
        // No stated need: between accelerators of one kind, more memory fits more models.
        int bonus = int(std::min(10.0, total_mib / 4096.0));
        score += bonus;
        reasons.emplace_back("memory " + std::to_string(int(total_mib)) + " MiB: +" + std::to_string(bonus));
    }

    std::string precision = string_or(workload, "precision", "fp32");
    if (precision != "fp32") {
        bool has = false;
        if (auto f = device.find("features"); f != device.end() && f->value().is_array())
            for (const auto &v : f->value().as_array())
                has = has || (v.is_string() && v.as_string() == precision);
        score += has ? 5 : -10;
        reasons.emplace_back(precision + (has ? " supported: +5" : " not reported: -10"));
    }

    std::string best_tag;
    if (auto a = install.find("accelerators"); a != install.end() && a->value().is_array())
        for (const auto &v : a->value().as_array())
            if (v.is_object()) {
                best_tag = string_or(v.as_object(), "tag");
                break;
            }
    if (type != "cpu" && (best_tag.empty() || best_tag == "cpu")) {
        reasons.emplace_back("no GPU build of the ML frameworks for this device: -40");
        score -= 40;
    } else if (!best_tag.empty()) {
        reasons.emplace_back("best build: " + best_tag);
    }
    return result(std::max(score, 1));
}

}  // namespace gpuhost::sdk
