/* gpuhost plugin ABI.
 *
 * A plugin is a shared library exporting one C function, gpuhost_plugin_entry.
 * The host offers the newest interface version it speaks; the plugin answers
 * with a function table of that version or an older one, or refuses.
 *
 * Rules that keep plugins from other compilers (or C, or Rust) loadable:
 *  - only C types cross the boundary; no exceptions escape a call;
 *  - memory is never freed on the other side: text goes out through a
 *    host-given callback that copies it before returning;
 *  - tables start with their own size and version and only grow at the end;
 *    slots marked optional may be null;
 *  - rich data (device records, scores, install contributions) is JSON text
 *    following sdk/docs/SCHEMA.md; bulk data (kernel buffers) is plain structs.
 */
#ifndef GPUHOST_PLUGIN_ABI_H
#define GPUHOST_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Interface versions. The host accepts [GPUHOST_ABI_MIN, GPUHOST_ABI_CURRENT]. */
#define GPUHOST_ABI_MIN 1u
#define GPUHOST_ABI_CURRENT 1u

/* The one symbol a plugin exports. */
#define GPUHOST_PLUGIN_ENTRY_SYMBOL "gpuhost_plugin_entry"

#if defined(_WIN32)
#define GPUHOST_PLUGIN_EXPORT __declspec(dllexport)
#else
#define GPUHOST_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

typedef enum gpuhost_status {
    GPUHOST_OK = 0,
    GPUHOST_ERR_VERSION = 1,     /* no interface version both sides speak */
    GPUHOST_ERR_ARGUMENT = 2,    /* malformed request (bad JSON, bad sizes) */
    GPUHOST_ERR_UNSUPPORTED = 3, /* this plugin cannot do that (e.g. no kernel on this device) */
    GPUHOST_ERR_FAILED = 4,      /* tried and failed; the message says why */
    GPUHOST_ERR_INTERNAL = 5     /* a bug or an exception caught at the boundary */
} gpuhost_status;

typedef enum gpuhost_log_level {
    GPUHOST_LOG_DEBUG = 0,
    GPUHOST_LOG_INFO = 1,
    GPUHOST_LOG_WARN = 2,
    GPUHOST_LOG_ERROR = 3
} gpuhost_log_level;

/* Receives text from a plugin. The host copies it before returning. */
typedef void (*gpuhost_emit_fn)(void *emit_ctx, const char *text, size_t length);

/* What the host lends a plugin: its root prefix, logging and the tool runner.
 * Valid for the duration of the call it is passed to. */
typedef struct gpuhost_host_i {
    uint32_t struct_size;
    uint32_t abi_version;
    void *ctx;
    /* Root prefix for every file the plugin reads: "" for the live machine,
     * or a recorded tree (see tests/fixtures/README.md). Never null. */
    const char *sysroot;
    void (*log)(void *ctx, gpuhost_log_level level, const char *message);
    /* Runs a vendor tool: argv is null-terminated, argv[0] a program name
     * looked up on PATH (or an absolute path). Under a sysroot the host replays
     * a recorded output instead of running anything. stdout goes to emit.
     * Returns the exit code, 127 when the tool is absent, 124 on timeout. */
    int (*run_tool)(void *ctx, const char *const *argv, gpuhost_emit_fn emit, void *emit_ctx);
} gpuhost_host_i;

/* --- kernels ------------------------------------------------------------ */

typedef enum gpuhost_kernel_id {
    GPUHOST_KERNEL_SAXPY = 1,       /* y[i] = alpha * x[i] + y[i], i < n          */
    GPUHOST_KERNEL_DOT = 2,         /* result[0] = sum x[i] * y[i], i < n         */
    GPUHOST_KERNEL_SGEMM = 3,       /* C(m x n) = A(m x k) * B(k x n), row-major  */
    GPUHOST_KERNEL_COSINE_TOPK = 4, /* the top_k rows of A(m x k) most similar to
                                       the query x(k) by cosine: indices + scores */
    GPUHOST_KERNEL_COPY = 5         /* y[i] = x[i]: the bandwidth ceiling          */
    /* COSINE_TOPK with top_k > m returns all m rows; slots past m get index -1
       and a NaN score. A row or query of zeros has cosine 0. Repeats never
       compound: after a SAXPY call y holds alpha * x + y as it was passed in. */
} gpuhost_kernel_id;

/* One kernel call. Buffers are host memory, float32, owned by the host. */
typedef struct gpuhost_kernel_args {
    uint32_t struct_size;
    uint32_t kernel;     /* gpuhost_kernel_id */
    uint64_t m, n, k;    /* sizes; see each kernel above for which it reads */
    uint32_t top_k;
    uint32_t repeats;    /* timed runs after one warm-up; 0 means 1 */
    float alpha;
    const float *a;      /* SGEMM A, COSINE_TOPK matrix                 */
    const float *b;      /* SGEMM B                                     */
    const float *x;      /* SAXPY/DOT/COPY x, COSINE_TOPK query          */
    float *y;            /* SAXPY in/out, COPY out                       */
    float *c;            /* SGEMM C, DOT result[0], COSINE_TOPK scores   */
    int64_t *indices;    /* COSINE_TOPK row indices, best first          */
    /* out: median seconds of one timed run, and whether a device timer measured it */
    double seconds;
    uint32_t device_timer;
    /* Added later; a plugin writes them only when struct_size covers them,
     * and a host that does not know them passes a smaller struct_size. */
    /* out, COPY only: median seconds of the driver's own device-to-device
     * copy of the same bytes (cuMemcpyDtoD, clEnqueueCopyBuffer,
     * vkCmdCopyBuffer); 0 when not measured. With the copy kernel's time it
     * gives the bandwidth ceiling. */
    double driver_copy_seconds;
    /* out, SGEMM only: when a vendor library computed the result, the median
     * seconds of the plugin's own kernel on the same inputs (0: not run), so
     * the own kernel is reported against the library. */
    double own_kernel_seconds;
    /* out: what computed the result, e.g. "own kernel", "cuBLAS", "CLBlast",
     * "OpenBLAS" (NUL-terminated; empty: the plugin does not say). */
    char implementation[32];
} gpuhost_kernel_args;

/* struct_size of the first version of gpuhost_kernel_args (up to device_timer). */
#define GPUHOST_KERNEL_ARGS_V1_SIZE 112u

/* --- the plugin's table --------------------------------------------------- */

/* Every function returns a status; on failure the emitted text is the reason.
 * device_json is one device record the plugin itself produced. */
typedef struct gpuhost_plugin_i {
    uint32_t struct_size;
    uint32_t abi_version;
    const char *name;    /* unique, [a-z0-9_-]+, matches the manifest */
    const char *version; /* the plugin's own version                  */
    const char *vendor;  /* "nvidia", "amd", "intel", "apple", "cpu", ... */

    /* request_json: {"schema":1,"sysroot":"..."}; emits a detect result. */
    gpuhost_status (*detect)(const gpuhost_host_i *host, const char *request_json,
                             gpuhost_emit_fn emit, void *emit_ctx);
    /* Emits {"score":0..100,"reasons":[...]} for a workload. */
    gpuhost_status (*score)(const gpuhost_host_i *host, const char *device_json,
                            const char *workload_json, gpuhost_emit_fn emit, void *emit_ctx);
    /* Emits an install contribution: accelerator tags best first, env vars. */
    gpuhost_status (*install)(const gpuhost_host_i *host, const char *device_json,
                              gpuhost_emit_fn emit, void *emit_ctx);
    /* Optional (may be null): runs one kernel on the device. Emits notes. */
    gpuhost_status (*kernel)(const gpuhost_host_i *host, const char *device_json,
                             gpuhost_kernel_args *args, gpuhost_emit_fn emit, void *emit_ctx);
} gpuhost_plugin_i;

/* The entry point. host_max_version is the newest version the host speaks.
 * The plugin sets *out to a table with abi_version <= host_max_version that
 * lives as long as the library is loaded, and returns GPUHOST_OK; or returns
 * GPUHOST_ERR_VERSION when it speaks no version that old. */
typedef gpuhost_status (*gpuhost_plugin_entry_fn)(uint32_t host_max_version,
                                                  const gpuhost_plugin_i **out);

GPUHOST_PLUGIN_EXPORT gpuhost_status gpuhost_plugin_entry(uint32_t host_max_version,
                                                          const gpuhost_plugin_i **out);

#ifdef __cplusplus
}
#endif

#endif /* GPUHOST_PLUGIN_ABI_H */
