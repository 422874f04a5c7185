/* A HIP runtime at the driver boundary, for the rocm plugin's rocBLAS path:
 * the few hip* functions the plugin opens, over host memory. Its GPUs are the
 * PCI bus ids in FAKE_HIP_BUS_IDS (comma-separated; default one at
 * 0000:03:00.0, the amd-rdna3-discrete recording's); FAKE_HIP_BUS_IDS=none has
 * none, as hipGetDeviceCount answers on a machine without a usable GPU.
 * Events read CLOCK_MONOTONIC. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

static const char *bus_ids(void) {
    const char *ids = getenv("FAKE_HIP_BUS_IDS");
    return ids ? ids : "0000:03:00.0";
}
static int count(void) {
    const char *ids = bus_ids();
    if (!*ids || strcmp(ids, "none") == 0) return 0;
    int n = 1;
    for (; *ids; ++ids) n += *ids == ',';
    return n;
}
static int current = -1;

EXPORT int hipGetDeviceCount(int *n) {
    *n = count();
    return *n ? 0 : 100; /* hipErrorNoDevice */
}
EXPORT int hipSetDevice(int d) {
    if (d < 0 || d >= count()) return 101; /* hipErrorInvalidDevice */
    current = d;
    return 0;
}
EXPORT int hipDeviceGetPCIBusId(char *out, int len, int d) {
    if (d < 0 || d >= count() || len < 13) return 101;
    const char *id = bus_ids();
    for (int i = 0; i < d; ++i) id = strchr(id, ',') + 1;
    const char *end = strchr(id, ',');
    size_t n = end ? (size_t)(end - id) : strlen(id);
    if (n >= (size_t)len) n = (size_t)len - 1;
    memcpy(out, id, n);
    out[n] = 0;
    return 0;
}
EXPORT int hipMalloc(void **p, size_t size) {
    if (current < 0) return 709; /* hipErrorContextIsDestroyed: no device set */
    *p = malloc(size ? size : 1);
    return *p ? 0 : 2; /* hipErrorOutOfMemory */
}
EXPORT int hipFree(void *p) { free(p); return 0; }
EXPORT int hipMemcpy(void *dst, const void *src, size_t n, int kind) {
    if (kind != 1 && kind != 2) return 1; /* hipErrorInvalidValue: the plugin copies only to and from the device */
    memcpy(dst, src, n);
    return 0;
}
EXPORT int hipDeviceSynchronize(void) { return 0; }
EXPORT int hipEventCreate(void **e) { *e = calloc(1, sizeof(struct timespec)); return *e ? 0 : 2; }
EXPORT int hipEventRecord(void *e, void *stream) { (void)stream; clock_gettime(CLOCK_MONOTONIC, e); return 0; }
EXPORT int hipEventSynchronize(void *e) { (void)e; return 0; }
EXPORT int hipEventElapsedTime(float *ms, void *a, void *b) {
    const struct timespec *s = a, *t = b;
    *ms = (float)((t->tv_sec - s->tv_sec) * 1e3 + (t->tv_nsec - s->tv_nsec) / 1e6);
    return 0;
}
EXPORT int hipEventDestroy(void *e) { free(e); return 0; }
EXPORT const char *hipGetErrorString(int e) { return e == 0 ? "hipSuccess" : e == 100 ? "hipErrorNoDevice" : "hipError"; }
