/* A stand-in for libnvidia-ml.so.1 that answers from recorded_h100.h.
 * FAKE_NVML_MODE picks how nvmlInit_v2 behaves: 0 works, 1 reports a
 * driver/library version mismatch, 2 hangs, 3 crashes (SIGSEGV). */
#include "nvml_abi.h"
#include "recorded_h100.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

static int initialised;

EXPORT nvmlReturn_t nvmlInit_v2(void) {
#if FAKE_NVML_MODE == 1
    return NVML_ERROR_LIB_RM_VERSION_MISMATCH;
#elif FAKE_NVML_MODE == 2
    for (;;) pause(); /* as a wedged driver does */
#elif FAKE_NVML_MODE == 3
    raise(SIGSEGV);
#endif
    initialised = 1;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlShutdown(void) { initialised = 0; return NVML_SUCCESS; }

EXPORT const char *nvmlErrorString(nvmlReturn_t rc) {
    switch (rc) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH: return "Driver/library version mismatch";
    default: return "Unknown Error";
    }
}

static int copy_text(char *out, unsigned length, const char *text) {
    if (strlen(text) + 1 > length) return 7; /* NVML_ERROR_INSUFFICIENT_SIZE */
    strcpy(out, text);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned length) {
    return initialised ? copy_text(version, length, RECORDED_DRIVER_VERSION) : NVML_ERROR_UNINITIALIZED;
}

EXPORT nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *version) {
    *version = RECORDED_CUDA_VERSION;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned *count) {
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    *count = RECORDED_GPU_COUNT;
    return NVML_SUCCESS;
}

/* Handles are pointers into the recorded table. */
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned index, nvmlDevice_t *device) {
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    if (index >= RECORDED_GPU_COUNT) return 2; /* NVML_ERROR_INVALID_ARGUMENT */
    *device = (nvmlDevice_t)&recorded_gpus[index];
    return NVML_SUCCESS;
}

#define GPU(d) ((const struct recorded_gpu *)(d))

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned length) {
    return copy_text(name, length, GPU(d)->name);
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned length) {
    return copy_text(uuid, length, GPU(d)->uuid);
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci) {
    memset(pci, 0, sizeof *pci);
    snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "0000:%02X:00.0", GPU(d)->bus);
    snprintf(pci->busId, sizeof pci->busId, "%s", GPU(d)->bus_id);
    pci->bus = GPU(d)->bus;
    pci->pciDeviceId = GPU(d)->pci_device_id;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *memory) {
    memory->total = GPU(d)->total_mib * RECORDED_MIB;
    memory->free = GPU(d)->free_mib * RECORDED_MIB;
    memory->used = memory->total - memory->free;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetCudaComputeCapability(nvmlDevice_t d, int *major, int *minor) {
    *major = GPU(d)->cc_major;
    *minor = GPU(d)->cc_minor;
    return NVML_SUCCESS;
}
