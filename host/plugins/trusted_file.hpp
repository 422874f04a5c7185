// Code that gpuhost runs (plugin libraries) must be a file that only root or
// the user can change. Checking a path and then loading the path lets a
// symlink be swapped in between; so the file is opened once, that descriptor
// is checked, and the descriptor is what gets loaded.
#pragma once
#include <filesystem>
#include <string>
#include <utility>

namespace gpuhost {

// An open descriptor of a checked file, closed on destruction.
class TrustedFile {
public:
    TrustedFile() = default;
    TrustedFile(const TrustedFile &) = delete;
    TrustedFile &operator=(const TrustedFile &) = delete;
    TrustedFile(TrustedFile &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    TrustedFile &operator=(TrustedFile &&other) noexcept {
        std::swap(fd_, other.fd_);
        return *this;
    }
    ~TrustedFile();
    int fd() const { return fd_; }
    // Keeps the descriptor open for the life of the process. A library loaded
    // through "/proc/self/fd/N" must keep its N: the loader knows libraries by
    // that name, and a reused N would hand the next plugin this one's handle.
    void keep_open() { fd_ = -1; }
    // "/proc/self/fd/N": a name for exactly the checked file (dlopen takes it).
    std::string proc_path() const;

    // Opens `file` (following links) and checks the opened file: regular, owned
    // by root or this user, not writable by group or others, and every folder
    // of its real path up to / the same (a sticky folder such as /tmp is fine:
    // others cannot replace what they do not own there). With `waive` (the
    // user's GPUHOST_ALLOW_INSECURE_PLUGINS=1) only "regular file" is checked.
    // Throws std::runtime_error naming the file or folder and the fix.
    static TrustedFile open(const std::filesystem::path &file, bool waive);

private:
    explicit TrustedFile(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// Why `st` (of `what`) may be changed by someone other than root or this user; "" when it may not.
std::string untrusted_owner_or_mode(const std::string &what, unsigned uid, unsigned mode, bool is_folder);

}  // namespace gpuhost
