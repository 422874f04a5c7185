#include "quarantine.hpp"

#include "../core/files.hpp"
#include "../core/log.hpp"
#include "../core/paths.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost {

fs::path Quarantine::default_file() { return paths::state_dir() / "quarantine.json"; }

bool Quarantine::read_entries(const fs::path &file, Entries &entries) {
    entries.clear();
    std::error_code ec;
    if (!fs::exists(file, ec)) return true;
    try {
        auto value = read_json_file(file);
        for (const auto &[name, v] : value.at("plugins").as_object()) {
            const auto &o = v.as_object();
            Entry e;
            e.failures = int(o.at("failures").to_number<std::int64_t>());
            e.until = std::time_t(o.at("until").to_number<std::int64_t>());
            e.reason = std::string(o.at("reason").as_string());
            entries[std::string(name)] = e;
        }
    } catch (const std::exception &e) {
        log::warn(file.string() + " ignored (" + e.what() + "); it will be rewritten");
        entries.clear();
        return false;
    }
    return true;
}

Quarantine Quarantine::load(fs::path file) {
    Quarantine q;
    q.file_ = std::move(file);
    q.changed_ = !read_entries(q.file_, q.entries_);
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

bool Quarantine::apply(Entries &entries, const Record &r) {
    if (!r.failed) {
        entries.erase(r.plugin);
        return false;
    }
    Entry &e = entries[r.plugin];
    ++e.failures;
    e.reason = r.reason;
    if (e.failures < kQuarantineAfter) return false;
    e.until = r.now + kQuarantineSeconds;
    return true;
}

void Quarantine::record(const std::string &plugin, bool failed, const std::string &reason, std::time_t now) {
    if (!failed && !entries_.count(plugin)) return;  // nothing to clear
    Record r{plugin, failed, reason, now};
    if (apply(entries_, r))
        log::warn("plugin " + plugin + " failed " + std::to_string(entries_[plugin].failures) +
                  " times in a row; skipped until " + clock_time(entries_[plugin].until));
    records_.push_back(std::move(r));
    changed_ = true;
}

void Quarantine::clear() {
    changed_ = changed_ || !entries_.empty();
    entries_.clear();
    records_.clear();
    cleared_ = true;
    std::error_code ec;
    if (fs::exists(file_, ec)) changed_ = true;
}

namespace {

// An exclusive flock held for its lifetime; without the lock file (a read-only
// state dir) the save goes on unlocked, as the record only ever holds hints.
struct FileLock {
    int fd = -1;
    explicit FileLock(const fs::path &file) {
        fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return;
        while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    ~FileLock() {
        if (fd >= 0) ::close(fd);  // closing releases the lock
    }
};

}  // namespace

void Quarantine::save_or_warn() {
    try {
        save();
    } catch (const std::exception &e) {
        log::warn(std::string("quarantine record not saved: ") + e.what());
    }
}

void Quarantine::save() {
    if (!changed_) return;
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    FileLock lock(fs::path(file_.string() + ".lock"));
    // What other runs saved since load(), then this run's records on top.
    Entries merged;
    if (!cleared_) read_entries(file_, merged);
    for (const auto &r : records_) apply(merged, r);
    json::object plugins;
    for (const auto &[name, e] : merged)
        plugins[name] = json::object{{"failures", e.failures}, {"until", std::int64_t(e.until)}, {"reason", e.reason}};
    write_file_atomic(file_, pretty_json(json::object{{"format", 1}, {"plugins", std::move(plugins)}}));
    entries_ = std::move(merged);
    records_.clear();
    cleared_ = false;
    changed_ = false;
}

}  // namespace gpuhost
