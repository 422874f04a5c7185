#include "process_supervisor.hpp"

#include <cerrno>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace gpuhost {

namespace {

volatile sig_atomic_t g_stop = 0;
void on_stop(int) { g_stop = 1; }

// Parses a decimal pid; 0 when the text is not one.
pid_t to_pid(const char *s) {
    pid_t v = 0;
    if (!*s) return 0;
    for (; *s; ++s) {
        if (*s < '0' || *s > '9') return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

// The parent pid from /proc/PID/stat ("pid (comm) S ppid ..."); -1 when gone.
pid_t parent_of(pid_t pid) {
    char path[48] = "/proc/";
    char digits[16];
    int n = 0;
    for (pid_t v = pid; v > 0; v /= 10) digits[n++] = char('0' + v % 10);
    int at = 6;
    while (n) path[at++] = digits[--n];
    const char *tail = "/stat";
    for (int i = 0; tail[i]; ++i) path[at++] = tail[i];
    path[at] = 0;
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[512];
    ssize_t got = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (got <= 0) return -1;
    buf[got] = 0;
    char *close_paren = nullptr;  // comm may hold ')' itself: take the last one
    for (char *p = buf; *p; ++p)
        if (*p == ')') close_paren = p;
    if (!close_paren || close_paren[1] != ' ' || !close_paren[2] || close_paren[3] != ' ') return -1;
    pid_t ppid = 0;
    for (char *p = close_paren + 4; *p >= '0' && *p <= '9'; ++p) ppid = ppid * 10 + (*p - '0');
    return ppid;
}

struct Dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

// SIGKILL to every process whose parent is us; how many there were.
int kill_children() {
    pid_t self = ::getpid();
    int fd = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    int found = 0;
    alignas(8) char buf[8192];
    for (;;) {
        long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            auto *d = reinterpret_cast<Dirent64 *>(buf + off);
            off += d->d_reclen;
            pid_t pid = to_pid(d->d_name);
            if (pid > 0 && pid != self && parent_of(pid) == self) {
                ::kill(pid, SIGKILL);
                ++found;
            }
        }
    }
    ::close(fd);
    return found;
}

// Kills everything below us. Killing a child re-parents its children to us
// (we are a subreaper), so repeat until nothing is left; bounded at ~5 s.
void kill_descendants() {
    for (int round = 0; round < 500; ++round) {
        int killed = kill_children();
        int status;
        while (::waitpid(-1, &status, WNOHANG) > 0) {
        }
        if (killed == 0 && ::waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD) return;
        timespec pause{0, 10 * 1000 * 1000};
        ::nanosleep(&pause, nullptr);
    }
}

[[noreturn]] void exit_like(int status) {
    if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status));
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(sig, &dfl, nullptr);
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, sig);
    ::sigprocmask(SIG_UNBLOCK, &all, nullptr);
    ::kill(::getpid(), sig);
    ::_exit(128 + sig);
}

}  // namespace

void supervise_and_return_in_program() {
#ifdef __linux__
    pid_t gpuhost = ::getppid();
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    struct sigaction stop {};
    stop.sa_handler = &on_stop;  // no SA_RESTART: waitpid returns EINTR
    ::sigaction(SIGTERM, &stop, nullptr);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != gpuhost) g_stop = 1;  // gpuhost died before prctl took effect
    pid_t supervisor = ::getpid();
    pid_t program = ::fork();
    if (program < 0) return;  // cannot supervise: run the program here, as before
    if (program == 0) {
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        ::sigaction(SIGTERM, &dfl, nullptr);
        ::prctl(PR_SET_CHILD_SUBREAPER, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != supervisor) ::_exit(1);
        return;  // exec the program
    }
    // The supervisor holds no descriptor: the program's pipes and Boost's
    // exec-error pipe close when the program ends, not when we do.
    for (int fd = 0; fd < 1024; ++fd) ::close(fd);
    int status = 0;
    bool ended = false;
    while (!g_stop) {
        int s;
        pid_t w = ::waitpid(-1, &s, 0);
        if (w == program) {
            status = s;
            ended = true;
            break;
        }
        if (w < 0 && errno == ECHILD) break;
    }
    kill_descendants();  // what the program left behind dies with it
    // Stopped from outside: end as the program did, killed by SIGKILL.
    exit_like(ended ? status : SIGKILL);
#endif
}

}  // namespace gpuhost
