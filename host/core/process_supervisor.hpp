// Every process gpuhost starts (installers, smoke tests, probes) runs under a
// small supervisor: the forked child forks once more, the program runs in the
// grandchild, and the child stays behind as a subreaper. Whatever the program
// leaves running (pip's build backends, a daemon that called setsid) is
// re-parented to the supervisor and killed by it when the program ends, when
// gpuhost asks (SIGTERM), or when gpuhost dies, even by SIGKILL.
#pragma once
#include <boost/system/error_code.hpp>

namespace gpuhost {

// Called in the forked child before exec. Returns only in the grandchild (the
// program, which then execs); the supervisor never returns: it waits, cleans
// up and exits with the program's status (the same signal if it was killed).
// Uses only async-signal-safe calls: the parent may have threads.
void supervise_and_return_in_program();

// A Boost.Process v2 initializer: put it after DieWithParent/OwnProcessGroup.
struct SupervisedTree {
    bool enabled = true;
    template <typename Launcher, typename Path>
    boost::system::error_code on_exec_setup(Launcher &, const Path &, const char *const *&) {
        if (enabled) supervise_and_return_in_program();
        return {};
    }
};

}  // namespace gpuhost
