#include "gpuhost/bounded_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gpuhost {

std::string BoundedRead::why() const {
    switch (refusal) {
    case ReadRefusal::ok: return "";
    case ReadRefusal::missing: return "no such file";
    case ReadRefusal::not_regular: return "not a regular file (a FIFO, device or folder is never read)";
    case ReadRefusal::too_large: return "larger than " + std::to_string(cap >> 20) + " MiB";
    case ReadRefusal::unreadable: return "cannot be read";
    }
    return "";
}

BoundedRead read_bounded_file(const std::string &path, std::size_t max_bytes) {
    BoundedRead r;
    r.cap = max_bytes;
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        r.refusal = errno == ENOENT || errno == ENOTDIR ? ReadRefusal::missing : ReadRefusal::unreadable;
        return r;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        r.refusal = ReadRefusal::not_regular;
        ::close(fd);
        return r;
    }
    // /proc and /sys report size 0 for files with content: read until EOF, up to the cap.
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            r.refusal = ReadRefusal::unreadable;
            ::close(fd);
            return r;
        }
        if (n == 0) break;
        if (out.size() + std::size_t(n) > max_bytes) {
            r.refusal = ReadRefusal::too_large;
            ::close(fd);
            return r;
        }
        out.append(buf, std::size_t(n));
    }
    ::close(fd);
    r.text = std::move(out);
    return r;
}

}  // namespace gpuhost
