// Plugins whose probe failed several times in a row are skipped for a while, so a
// driver that hangs does not cost every command its full deadline. The record
// lives in the XDG state dir (quarantine.json), written atomically.
#pragma once
#include <boost/json.hpp>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost {

inline constexpr int kQuarantineAfter = 3;               // failures in a row
inline constexpr std::time_t kQuarantineSeconds = 3600;  // then skipped this long

class Quarantine {
public:
    static std::filesystem::path default_file();
    // A missing or unreadable file is an empty record (it only ever holds hints).
    static Quarantine load(std::filesystem::path file = default_file());

    // Why the plugin is skipped now ("quarantined until ... after 3 failures in a row: <last reason>"), if it is.
    std::optional<std::string> skip_reason(const std::string &plugin, std::time_t now = std::time(nullptr)) const;
    // Counts a failure (quarantining at kQuarantineAfter) or clears the plugin's record on success.
    void record(const std::string &plugin, bool failed, const std::string &reason, std::time_t now = std::time(nullptr));
    // Only when something changed. Under an flock on quarantine.json.lock it
    // reads the file again and applies this run's records to it, so detections
    // running at once each add their failures instead of overwriting the other's.
    void save();
    // save(), with a failure only warned about: the record holds hints, and a
    // command must not fail because they could not be kept.
    void save_or_warn();
    void clear();

private:
    struct Entry {
        int failures = 0;
        std::string reason;
        std::time_t until = 0;
    };
    struct Record {
        std::string plugin;
        bool failed;
        std::string reason;
        std::time_t now;
    };
    using Entries = std::map<std::string, Entry>;
    static bool read_entries(const std::filesystem::path &file, Entries &entries);  // false: rewrite it
    static bool apply(Entries &entries, const Record &r);  // true when the plugin was just quarantined
    std::filesystem::path file_;
    Entries entries_;
    std::vector<Record> records_;  // this run's, applied again at save
    bool cleared_ = false;
    bool changed_ = false;
};

}  // namespace gpuhost
