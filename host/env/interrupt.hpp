// SIGINT/SIGTERM during `gpuhost run`: the handler only records the signal;
// the run notices it (between stages, and every 100 ms while a child runs),
// kills the child, records "interrupted" and exits 130.
#pragma once

namespace gpuhost::env {

class InterruptGuard {
public:
    InterruptGuard();   // installs the handlers
    ~InterruptGuard();  // restores the previous ones
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;
};

bool interrupted();
int interrupt_signal();  // the signal received, 0 if none

}  // namespace gpuhost::env
