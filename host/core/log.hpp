// Messages for people go to stderr, so stdout stays clean for --json.
#pragma once
#include <string>

namespace gpuhost::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, quiet = 4 };

void set_level(Level level);
Level level();
void write(Level level, const std::string &message);
inline void debug(const std::string &m) { write(Level::debug, m); }
inline void info(const std::string &m) { write(Level::info, m); }
inline void warn(const std::string &m) { write(Level::warn, m); }
inline void error(const std::string &m) { write(Level::error, m); }

}  // namespace gpuhost::log
