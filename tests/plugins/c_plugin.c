/* A plugin in plain C, with no helper layer: proves the ABI needs no C++. */
#include "gpuhost/plugin_abi.h"

#include <string.h>

static void say(gpuhost_emit_fn emit, void *ctx, const char *text) { emit(ctx, text, strlen(text)); }

static gpuhost_status detect(const gpuhost_host_i *host, const char *request, gpuhost_emit_fn emit, void *ctx) {
    (void)host; (void)request;
    say(emit, ctx, "{\"schema\":1,\"plugin\":\"plain-c\",\"status\":\"absent\",\"devices\":[],"
                   "\"notes\":[\"written in C\"]}");
    return GPUHOST_OK;
}
static gpuhost_status score(const gpuhost_host_i *h, const char *d, const char *w, gpuhost_emit_fn emit, void *ctx) {
    (void)h; (void)d; (void)w;
    say(emit, ctx, "{\"score\":0,\"reasons\":[\"no devices\"]}");
    return GPUHOST_OK;
}
static gpuhost_status install(const gpuhost_host_i *h, const char *d, gpuhost_emit_fn emit, void *ctx) {
    (void)h; (void)d;
    say(emit, ctx, "{\"accelerators\":[{\"tag\":\"cpu\"}]}");
    return GPUHOST_OK;
}

static const gpuhost_plugin_i table = {sizeof(gpuhost_plugin_i), 1u, "plain-c", "1.0", "other",
                                       detect, score, install, 0};

GPUHOST_PLUGIN_EXPORT gpuhost_status gpuhost_plugin_entry(uint32_t host_max_version, const gpuhost_plugin_i **out) {
    if (host_max_version < 1u) return GPUHOST_ERR_VERSION;
    *out = &table;
    return GPUHOST_OK;
}
