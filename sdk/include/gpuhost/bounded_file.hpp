// Reading files that come from outside (recordings, manifests, plans, caches)
// without trusting what they are: a FIFO would block forever and /dev/zero
// never ends, so only regular files are read, and only up to a cap.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

namespace gpuhost {

// Why a bounded read gave nothing; ok when it returned the text.
enum class ReadRefusal { ok, missing, not_regular, too_large, unreadable };

struct BoundedRead {
    std::optional<std::string> text;
    ReadRefusal refusal = ReadRefusal::ok;
    std::string why() const;  // "not a regular file", "larger than 16 MiB", ...
    std::size_t cap = 0;
};

// 64 MiB: far above any real tool output, config or state file.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t(64) << 20;

// The whole file when it is a regular file of at most max_bytes. Opens with
// O_NONBLOCK and checks the descriptor it reads from (no check-then-open race).
BoundedRead read_bounded_file(const std::string &path, std::size_t max_bytes = kMaxInputFileBytes);

}  // namespace gpuhost
