#include "files.hpp"

#include "gpuhost/bounded_file.hpp"

#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace gpuhost {

// Config, plans, inventories, manifests, caches and state files are small.
constexpr std::size_t kMaxJsonFileBytes = std::size_t(16) << 20;

// A regular file of at most 64 MiB; nullopt for anything else (a FIFO, a
// device, a folder, a missing file), so outside input cannot hang or flood us.
// A folder sets errno to EISDIR, so callers can say so.
std::optional<std::string> read_text(const fs::path &file) {
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        errno = EISDIR;
        return std::nullopt;
    }
    return read_bounded_file(file.string()).text;
}

json::value parse_json(const std::string &text, const std::string &origin) {
    json::stream_parser parser;
    boost::system::error_code ec;
    size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (!ec) return parser.release();
    size_t line = 1, col = 1;
    for (size_t i = 0; i < used && i < text.size(); ++i) {
        if (text[i] == '\n') { ++line; col = 1; }
        else ++col;
    }
    throw FileError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                    ": invalid JSON (" + ec.message() + ")");
}

json::value read_json_file(const fs::path &file) {
    std::error_code dir_ec;
    if (fs::is_directory(file, dir_ec)) throw FileError(file.string() + ": is a folder; give a JSON file");
    BoundedRead r = read_bounded_file(file.string(), kMaxJsonFileBytes);
    if (!r.text) {
        std::string why = r.refusal == ReadRefusal::unreadable ? std::string(std::strerror(errno)) : r.why();
        throw FileError(file.string() + ": cannot read (" + why + ")");
    }
    return parse_json(*r.text, file.string());
}

void write_file_atomic(const fs::path &file, const std::string &content) {
    fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    std::error_code dir_ec;
    fs::create_directories(dir, dir_ec);
    if (dir_ec) throw WriteError(file.string() + ": cannot create its folder " + dir.string() + " (" + dir_ec.message() + ")");
    std::random_device rd;
    fs::path tmp = dir / ("." + file.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                          std::to_string(rd()));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw WriteError(file.string() + ": cannot create " + tmp.string() + " (" + std::strerror(errno) + ")");
    const char *p = content.data();
    size_t left = content.size();
    while (left) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw WriteError(file.string() + ": write failed (" + std::strerror(err) + ")");
        }
        p += n;
        left -= size_t(n);
    }
    int synced = ::fsync(fd), err = errno;
    if (::close(fd) != 0 && synced == 0) synced = -1, err = errno;
    if (synced != 0) {
        ::unlink(tmp.c_str());
        throw WriteError(file.string() + ": flush failed (" + std::strerror(err) + ")");
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw WriteError(file.string() + ": rename failed (" + std::strerror(err) + ")");
    }
    // Make the rename itself durable.
    if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

// 2.7, not Boost's 2.7E0: the shortest text that reads back as the same
// double, without an exponent, and with a '.' so a reader still sees a double.
std::string plain_decimal(double v) {
    if (!std::isfinite(v)) return "null";  // JSON has no NaN or infinity
    char buf[400];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    if (ec != std::errc()) return json::serialize(json::value(v));
    std::string text(buf, end);
    if (text.find('.') == std::string::npos) text += ".0";
    return text;
}

static void pretty(std::ostream &os, const json::value &v, int indent) {
    std::string pad(indent * 2, ' '), inner((indent + 1) * 2, ' ');
    switch (v.kind()) {
    case json::kind::object: {
        const auto &o = v.as_object();
        if (o.empty()) { os << "{}"; return; }
        os << "{\n";
        bool first = true;
        for (const auto &kv : o) {
            if (!first) os << ",\n";
            first = false;
            os << inner << json::serialize(json::string(kv.key())) << ": ";
            pretty(os, kv.value(), indent + 1);
        }
        os << "\n" << pad << "}";
        return;
    }
    case json::kind::array: {
        const auto &a = v.as_array();
        if (a.empty()) { os << "[]"; return; }
        os << "[\n";
        for (size_t i = 0; i < a.size(); ++i) {
            if (i) os << ",\n";
            os << inner;
            pretty(os, a[i], indent + 1);
        }
        os << "\n" << pad << "]";
        return;
    }
    case json::kind::double_: {
        os << plain_decimal(v.get_double());
        return;
    }
    default:
        os << json::serialize(v);
    }
}

std::string pretty_json(const json::value &value) {
    std::ostringstream os;
    pretty(os, value, 0);
    os << "\n";
    return os.str();
}

}  // namespace gpuhost
