/* A stand-in for libcuda.so.1's device queries, answering from
 * recorded_h100.h. Like the real driver it reads CUDA_VISIBLE_DEVICES at
 * cuInit and then shows only that many GPUs, so a test can prove detection
 * unsets it first. It has no module or memory functions: kernels refuse. */
#include "recorded_h100.h"

#include <cuda.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

static int visible = -1; /* -1 before cuInit */

EXPORT CUresult cuInit(unsigned flags) {
    (void)flags;
    const char *only = getenv("CUDA_VISIBLE_DEVICES");
    visible = RECORDED_GPU_COUNT;
    if (only) {
        visible = *only ? 1 : 0;
        for (const char *c = only; *c; ++c) visible += *c == ',';
        if (visible > RECORDED_GPU_COUNT) visible = RECORDED_GPU_COUNT;
    }
    return CUDA_SUCCESS;
}

EXPORT CUresult cuGetErrorString(CUresult rc, const char **text) {
    *text = rc == CUDA_ERROR_NOT_INITIALIZED ? "initialization error" : "unknown error";
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDriverGetVersion(int *version) {
    *version = RECORDED_CUDA_VERSION;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetCount(int *count) {
    if (visible < 0) return CUDA_ERROR_NOT_INITIALIZED;
    *count = visible;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGet(CUdevice *device, int ordinal) {
    if (visible < 0) return CUDA_ERROR_NOT_INITIALIZED;
    if (ordinal < 0 || ordinal >= visible) return CUDA_ERROR_INVALID_DEVICE;
    *device = ordinal;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetName(char *name, int length, CUdevice d) {
    snprintf(name, (size_t)length, "%s", recorded_gpus[d].name);
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice d) {
    *bytes = (size_t)(recorded_gpus[d].total_mib * RECORDED_MIB);
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDeviceGetAttribute(int *value, CUdevice_attribute attribute, CUdevice d) {
    switch (attribute) {
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *value = recorded_gpus[d].cc_major; break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *value = recorded_gpus[d].cc_minor; break;
    case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID: *value = (int)recorded_gpus[d].bus; break;
    case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID: *value = 0; break;
    case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID: *value = 0; break;
    default: return CUDA_ERROR_INVALID_VALUE;
    }
    return CUDA_SUCCESS;
}

/* The UUID's 16 bytes, parsed back from the recorded "GPU-xxxxxxxx-..." text. */
EXPORT CUresult cuDeviceGetUuid_v2(CUuuid *uuid, CUdevice d) {
    const char *s = recorded_gpus[d].uuid + 4;
    int b = 0;
    while (*s && b < 16) {
        if (*s == '-') { ++s; continue; }
        unsigned v = 0;
        sscanf(s, "%2x", &v);
        uuid->bytes[b++] = (char)v;
        s += 2;
    }
    return CUDA_SUCCESS;
}
