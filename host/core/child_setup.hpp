// Launcher hooks shared by every child gpuhost starts (Boost.Process v2 calls
// on_exec_setup in the forked child just before exec), and signal naming.
#pragma once
#include <boost/system/error_code.hpp>
#include <csignal>
#include <cstring>
#include <string>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

namespace gpuhost {

// The child gets SIGKILL when gpuhost dies (even by SIGKILL), so a hung driver
// call or an orphaned installer never outlives the command that started it.
struct DieWithParent {
    bool enabled = true;
    pid_t parent = ::getpid();
    template <typename Launcher, typename Path>
    boost::system::error_code on_exec_setup(Launcher &, const Path &, const char *const *&) {
        if (!enabled) return {};
#ifdef __linux__
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        if (::getppid() != parent) ::_exit(1);  // the parent died before prctl took effect
        return {};
    }
};

// The child leads a new process group, so a deadline or a cancel can kill it
// together with everything it started (pip's build backends, compilers).
struct OwnProcessGroup {
    template <typename Launcher, typename Path>
    boost::system::error_code on_exec_setup(Launcher &, const Path &, const char *const *&) {
        ::setpgid(0, 0);
        return {};
    }
};

// "SIGSEGV", or "signal 77" for a number without a name.
inline std::string signal_name(int sig) {
    const char *abbrev = sigabbrev_np(sig);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

}  // namespace gpuhost
