/* Plugins whose detect misbehaves the way broken drivers do, one per build:
 * MISBEHAVE_CRASH (SIGSEGV in detect), MISBEHAVE_HANG (never answers),
 * MISBEHAVE_BAD_JSON (emits text that is not JSON), MISBEHAVE_SLOW (answers after
 * SLOW_MS, under the deadline the tests set), MISBEHAVE_CRASH_ON_LOAD (dies while
 * the library is being loaded, before any call), MISBEHAVE_EXIT (ends the process with 7),
 * MISBEHAVE_CHATTY (prints a banner on stdout, then answers well), MISBEHAVE_FLOOD (prints
 * without end), MISBEHAVE_MEMORY (allocates without end), MISBEHAVE_DAEMON (leaves a setsid
 * daemon holding its output, then answers well), MISBEHAVE_EXIT_ON_LOAD (a constructor that
 * calls exit(0)), and plugins that detect one device well and then misbehave when the host
 * asks more of it: MISBEHAVE_SCORE_CRASH (SIGSEGV in score), MISBEHAVE_INSTALL_CRASH (SIGSEGV
 * in install), MISBEHAVE_SCORE_HANG (score never answers). */
#include "gpuhost/plugin_abi.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STRINGIFY(x) #x
#define TEXT_OF(x) STRINGIFY(x)
#ifdef SLOW_MS
#define SLOW_TEXT TEXT_OF(SLOW_MS)
#endif

#ifndef PLUGIN_NAME
#error "PLUGIN_NAME must be defined"
#endif

static void say(gpuhost_emit_fn emit, void *ctx, const char *text) { emit(ctx, text, strlen(text)); }

#ifdef MISBEHAVE_CRASH_ON_LOAD
__attribute__((constructor)) static void crash_while_loading(void) { raise(SIGSEGV); }
#endif
#ifdef MISBEHAVE_EXIT_ON_LOAD
__attribute__((constructor)) static void exit_while_loading(void) { exit(0); }
#endif

#if defined(MISBEHAVE_SCORE_CRASH) || defined(MISBEHAVE_INSTALL_CRASH) || defined(MISBEHAVE_SCORE_HANG)
#define DETECTS_A_DEVICE 1
#endif

__attribute__((unused)) static void crash(void) {
    volatile int *nowhere = 0;
    *nowhere = 1;
}

static gpuhost_status detect(const gpuhost_host_i *host, const char *request, gpuhost_emit_fn emit, void *ctx) {
    (void)host; (void)request;
#if defined(DETECTS_A_DEVICE)
    /* One usable device, so that only score or install can go wrong. */
    say(emit, ctx, "{\"schema\":1,\"plugin\":\"" PLUGIN_NAME "\",\"status\":\"present\",\"devices\":[{"
                   "\"vendor\":\"other\",\"backend\":\"cpu\",\"name\":\"" PLUGIN_NAME " test device\","
                   "\"type\":\"virtual\",\"memory\":{},\"signals\":[\"test\"],\"features\":[],\"usable\":true}]}");
    return GPUHOST_OK;
#elif defined(MISBEHAVE_CRASH)
    crash();
#elif defined(MISBEHAVE_HANG)
    for (;;) pause();
#elif defined(MISBEHAVE_BAD_JSON)
    say(emit, ctx, "{\"schema\":1,\"plugin\":\"" PLUGIN_NAME "\",\"status\":\"pres");
    return GPUHOST_OK;
#elif defined(MISBEHAVE_CHATTY)
    printf("vendor library 1.2 initialised\n");  /* the kind of banner some drivers print */
    fflush(stdout);
#elif defined(MISBEHAVE_EXIT)
    _exit(7);
#elif defined(MISBEHAVE_FLOOD)
    static const char line[] = "la la la la la la la la la la la la la la la la la la la la la la la la la\n";
    for (;;) fwrite(line, 1, sizeof line - 1, stdout);
#elif defined(MISBEHAVE_MEMORY)
    for (;;) {
        char *block = malloc(64u << 20);
        if (!block) abort();
        memset(block, 1, 64u << 20);
    }
#elif defined(MISBEHAVE_DAEMON)
    pid_t daemon = fork();
    if (daemon == 0) {
        setsid();
        sleep(120);  /* holds the probe's stdout and stderr all the while */
        _exit(0);
    }
    const char *where = getenv("GPUHOST_TEST_DAEMON_PID_FILE");
    FILE *pid_file = where ? fopen(where, "w") : 0;
    if (pid_file) {
        fprintf(pid_file, "%d\n", (int)daemon);
        fclose(pid_file);
    }
#elif defined(MISBEHAVE_SLOW)
    struct timespec wait = {SLOW_MS / 1000, (SLOW_MS % 1000) * 1000000L};
    nanosleep(&wait, 0);
    host->log(host->ctx, GPUHOST_LOG_WARN, "answering after " SLOW_TEXT " ms");
#endif
    say(emit, ctx, "{\"schema\":1,\"plugin\":\"" PLUGIN_NAME "\",\"status\":\"absent\",\"devices\":[],"
                   "\"notes\":[\"answered after a wait\"]}");
    return GPUHOST_OK;
}
static gpuhost_status score(const gpuhost_host_i *h, const char *d, const char *w, gpuhost_emit_fn emit, void *ctx) {
    (void)h; (void)d; (void)w;
#if defined(MISBEHAVE_SCORE_CRASH)
    crash();
#elif defined(MISBEHAVE_SCORE_HANG)
    for (;;) pause();
#endif
    say(emit, ctx, "{\"score\":0,\"reasons\":[\"no devices\"]}");
    return GPUHOST_OK;
}
static gpuhost_status install(const gpuhost_host_i *h, const char *d, gpuhost_emit_fn emit, void *ctx) {
    (void)h; (void)d;
#if defined(MISBEHAVE_INSTALL_CRASH)
    crash();
#endif
    say(emit, ctx, "{\"accelerators\":[{\"tag\":\"cpu\"}]}");
    return GPUHOST_OK;
}

static const gpuhost_plugin_i table = {sizeof(gpuhost_plugin_i), 1u, PLUGIN_NAME, "1.0", "other",
                                       detect, score, install, 0};

GPUHOST_PLUGIN_EXPORT gpuhost_status gpuhost_plugin_entry(uint32_t host_max_version, const gpuhost_plugin_i **out) {
    if (host_max_version < 1u) return GPUHOST_ERR_VERSION;
    *out = &table;
    return GPUHOST_OK;
}
