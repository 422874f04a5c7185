#include "log.hpp"

#include <cstdio>
#include <mutex>

namespace gpuhost::log {

static Level current = Level::warn;
static std::mutex output_mutex;

void set_level(Level l) { current = l; }
Level level() { return current; }

void write(Level l, const std::string &message) {
    if (l < current) return;
    static const char *names[] = {"debug", "info", "warning", "error"};
    std::lock_guard lock(output_mutex);
    std::fprintf(stderr, "gpuhost: %s: %s\n", names[int(l)], message.c_str());
}

}  // namespace gpuhost::log
