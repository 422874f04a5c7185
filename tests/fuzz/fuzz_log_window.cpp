// The failure log reader (recover/rule_book.cpp): read_log_window reads a
// log's start and end without holding all of it, from a file (seeking) or a
// pipe (reading through); clip_log cuts a log held in memory. The windows
// only start past kLogHead + kLogTail bytes, so the input is repeated to a
// length its first two bytes choose: around that threshold or well past it.
// Both ways of reading must give the same window, bounded, and clip_log must
// leave a window alone.
#include "fuzz_support.hpp"

#include "recover/rule_book.hpp"

#include <sstream>
#include <streambuf>

namespace {

// An input stream that cannot seek, like a pipe.
struct PipeBuf : std::streambuf {
    explicit PipeBuf(std::string &s) { setg(s.data(), s.data(), s.data() + s.size()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost::recover;
    if (size < 3) return 0;
    constexpr std::size_t kWindow = kLogHead + kLogTail;
    // 0..65535 bytes either side of the threshold.
    long offset = long((data[0] << 8) | data[1]) - 32768;
    std::string unit = gpuhost::fuzz::text(data + 2, size - 2);
    std::size_t length = std::size_t(long(kWindow) + offset * long(unit.size() > 64 ? 64 : 1));
    std::string log;
    log.reserve(length);
    while (log.size() < length) log.append(unit, 0, std::min(unit.size(), length - log.size()));

    std::istringstream file(log);
    std::string from_file = read_log_window(file);
    PipeBuf buf(log);
    std::istream pipe(&buf);
    std::string from_pipe = read_log_window(pipe);
    FUZZ_CHECK(from_file == from_pipe, std::to_string(log.size()) + " bytes");
    FUZZ_CHECK(from_file.size() <= kWindow + 64, std::to_string(from_file.size()));
    FUZZ_CHECK(clip_log(from_file) == from_file, "clip_log cut a window again");
    auto clipped = clip_log(log);
    FUZZ_CHECK(clipped.size() <= kWindow + 64, std::to_string(clipped.size()));
    if (log.size() <= kWindow) FUZZ_CHECK(from_file == log, "a short log was cut");
    return 0;
}
