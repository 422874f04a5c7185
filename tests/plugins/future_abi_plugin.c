/* Written in plain C: speaks only ABI version 99, so it refuses this host. */
#include "gpuhost/plugin_abi.h"

GPUHOST_PLUGIN_EXPORT gpuhost_status gpuhost_plugin_entry(uint32_t host_max_version, const gpuhost_plugin_i **out) {
    *out = 0;
    return host_max_version >= 99u ? GPUHOST_ERR_INTERNAL : GPUHOST_ERR_VERSION;
}
