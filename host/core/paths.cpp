#include "paths.hpp"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost::paths {

fs::path executable_dir() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : self.parent_path();
}

fs::path home() {
    if (const char *h = std::getenv("HOME"); h && *h) return h;
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return "/";
}

static fs::path xdg(const char *variable, const char *fallback_below_home) {
    // The spec says relative values are invalid and must be ignored.
    if (const char *v = std::getenv(variable); v && *v == '/') return fs::path(v) / "gpuhost";
    return home() / fallback_below_home / "gpuhost";
}

fs::path config_dir() { return xdg("XDG_CONFIG_HOME", ".config"); }
fs::path data_dir() { return xdg("XDG_DATA_HOME", ".local/share"); }
fs::path cache_dir() { return xdg("XDG_CACHE_HOME", ".cache"); }
fs::path state_dir() { return xdg("XDG_STATE_HOME", ".local/state"); }

}  // namespace gpuhost::paths
