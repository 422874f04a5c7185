#include "quarantine.hpp"

#include "../core/files.hpp"
#include "../core/log.hpp"
#include "../core/paths.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost {

fs::path Quarantine::default_file() { return paths::state_dir() / "quarantine.json"; }

Quarantine Quarantine::load(fs::path file) {
    Quarantine q;
    q.file_ = std::move(file);
    std::error_code ec;
    if (!fs::exists(q.file_, ec)) return q;
    try {
        auto value = read_json_file(q.file_);
        for (const auto &[name, v] : value.at("plugins").as_object()) {
            const auto &o = v.as_object();
            Entry e;
            e.failures = int(o.at("failures").to_number<std::int64_t>());
            e.until = std::time_t(o.at("until").to_number<std::int64_t>());
            e.reason = std::string(o.at("reason").as_string());
            q.entries_[std::string(name)] = e;
        }
    } catch (const std::exception &e) {
        log::warn(q.file_.string() + " ignored (" + e.what() + "); it will be rewritten");
        q.entries_.clear();
        q.changed_ = true;
    }
    return q;
}

static std::string clock_time(std::time_t t) {
    char buf[32];
    std::tm tm{};
    localtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%H:%M", &tm);
    return buf;
}

std::optional<std::string> Quarantine::skip_reason(const std::string &plugin, std::time_t now) const {
    auto it = entries_.find(plugin);
    if (it == entries_.end() || it->second.failures < kQuarantineAfter || it->second.until <= now) return std::nullopt;
    return "quarantined until " + clock_time(it->second.until) + " after " + std::to_string(it->second.failures) +
           " failures in a row (last: " + it->second.reason + "); `gpuhost cache clear` retries it now";
}

void Quarantine::record(const std::string &plugin, bool failed, const std::string &reason, std::time_t now) {
    if (!failed) {
        changed_ = entries_.erase(plugin) > 0 || changed_;
        return;
    }
    Entry &e = entries_[plugin];
    ++e.failures;
    e.reason = reason;
    if (e.failures >= kQuarantineAfter) {
        e.until = now + kQuarantineSeconds;
        log::warn("plugin " + plugin + " failed " + std::to_string(e.failures) + " times in a row; skipped until " +
                  clock_time(e.until));
    }
    changed_ = true;
}

void Quarantine::clear() {
    changed_ = changed_ || !entries_.empty();
    entries_.clear();
    std::error_code ec;
    if (fs::exists(file_, ec)) changed_ = true;
}

void Quarantine::save() const {
    if (!changed_) return;
    json::object plugins;
    for (const auto &[name, e] : entries_)
        plugins[name] = json::object{{"failures", e.failures}, {"until", std::int64_t(e.until)}, {"reason", e.reason}};
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    write_file_atomic(file_, pretty_json(json::object{{"format", 1}, {"plugins", std::move(plugins)}}));
}

}  // namespace gpuhost
