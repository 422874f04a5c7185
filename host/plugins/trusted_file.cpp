#include "trusted_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost {

TrustedFile::~TrustedFile() {
    if (fd_ >= 0) ::close(fd_);
}

std::string TrustedFile::proc_path() const { return "/proc/self/fd/" + std::to_string(fd_); }

std::string untrusted_owner_or_mode(const std::string &what, unsigned uid, unsigned mode, bool is_folder) {
    if (uid != 0 && uid != ::getuid()) return what + " belongs to another user (uid " + std::to_string(uid) + ")";
    bool sticky = is_folder && (mode & S_ISVTX);
    if ((mode & (S_IWGRP | S_IWOTH)) && !sticky)
        return what + " is writable by " + ((mode & S_IWOTH) ? "others" : "its group") +
               " (chmod go-w, or set GPUHOST_ALLOW_INSECURE_PLUGINS=1)";
    return {};
}

TrustedFile TrustedFile::open(const fs::path &file, bool waive) {
    // O_NONBLOCK: a FIFO planted as the library must not block us.
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw std::runtime_error(file.string() + ": cannot open (" + std::strerror(errno) + ")");
    TrustedFile opened(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw std::runtime_error(file.string() + " is not a regular file");
    if (waive) return opened;
    if (auto why = untrusted_owner_or_mode(file.string(), st.st_uid, st.st_mode, false); !why.empty())
        throw std::runtime_error(why);
    // The folders of the file actually opened, not of the name we were given.
    std::error_code ec;
    fs::path real = fs::read_symlink(opened.proc_path(), ec);
    if (ec) throw std::runtime_error(file.string() + ": cannot resolve the opened file (" + ec.message() + ")");
    for (fs::path dir = real.parent_path();; dir = dir.parent_path()) {
        struct stat ds {};
        if (::stat(dir.c_str(), &ds) != 0)
            throw std::runtime_error(dir.string() + ": cannot check (" + std::strerror(errno) + ")");
        if (auto why = untrusted_owner_or_mode(dir.string(), ds.st_uid, ds.st_mode, true); !why.empty())
            throw std::runtime_error("folder refused: " + why);
        if (dir == dir.root_path() || dir.parent_path() == dir) break;
    }
    return opened;
}

}  // namespace gpuhost
