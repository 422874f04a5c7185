/* A stand-in Level Zero loader for tests: exports the ze functions the intel
 * plugin calls and answers with one recorded Intel Arc A770:
 *   name and PCI device id 0x56a0, UUID: `xpu-smi discovery` in intel/compute-runtime
 *     issue #869 (https://github.com/intel/compute-runtime/issues/869):
 *     "Device Name: Intel(R) Arc(TM) A770 Graphics", "PCI Device ID: 0x56a0",
 *     "SOC UUID: 00000000-0000-0003-0000-000856a08086";
 *   driver 1.3.26918, API 1.3: `sycl-ls` in llama.cpp's docs/backend/SYCL.md
 *     ("Intel(R) Level-Zero, Intel(R) Arc(TM) A770 Graphics 1.3 [1.3.26918]");
 *   memory 16 GiB: Intel's A770 16GB specification (graphics memory 16 GB).
 * Built with FAKE_ZE_INIT_FAILS, zeInit answers ZE_RESULT_ERROR_UNINITIALIZED,
 * as the real loader does when no compute runtime is installed. */
#include <level_zero/ze_api.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

static int dummy_driver, dummy_device;

EXPORT ze_result_t zeInit(ze_init_flags_t flags) {
    (void)flags;
#ifdef FAKE_ZE_INIT_FAILS
    return ZE_RESULT_ERROR_UNINITIALIZED;
#else
    return ZE_RESULT_SUCCESS;
#endif
}

EXPORT ze_result_t zeDriverGet(uint32_t *count, ze_driver_handle_t *drivers) {
    if (!count) return ZE_RESULT_ERROR_INVALID_NULL_POINTER;
    if (drivers && *count >= 1) drivers[0] = (ze_driver_handle_t)&dummy_driver;
    *count = 1;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t zeDriverGetApiVersion(ze_driver_handle_t driver, ze_api_version_t *version) {
    (void)driver;
    *version = ZE_MAKE_VERSION(1, 3);
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t zeDriverGetProperties(ze_driver_handle_t driver, ze_driver_properties_t *props) {
    (void)driver;
    props->driverVersion = (1u << 24) | (3u << 16) | 26918u;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t zeDeviceGet(ze_driver_handle_t driver, uint32_t *count, ze_device_handle_t *devices) {
    if (driver != (ze_driver_handle_t)&dummy_driver || !count) return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    if (devices && *count >= 1) devices[0] = (ze_device_handle_t)&dummy_device;
    *count = 1;
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t zeDeviceGetProperties(ze_device_handle_t device, ze_device_properties_t *props) {
    static const uint8_t uuid[ZE_MAX_DEVICE_UUID_SIZE] = {0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0x08, 0x56, 0xa0, 0x80, 0x86};
    if (device != (ze_device_handle_t)&dummy_device || !props) return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    props->type = ZE_DEVICE_TYPE_GPU;
    props->vendorId = 0x8086;
    props->deviceId = 0x56a0;
    props->flags = 0; /* discrete: no ZE_DEVICE_PROPERTY_FLAG_INTEGRATED */
    memcpy(props->uuid.id, uuid, sizeof uuid);
    memset(props->name, 0, sizeof props->name);
    strncpy(props->name, "Intel(R) Arc(TM) A770 Graphics", sizeof props->name - 1);
    return ZE_RESULT_SUCCESS;
}

EXPORT ze_result_t zeDeviceGetMemoryProperties(ze_device_handle_t device, uint32_t *count,
                                               ze_device_memory_properties_t *props) {
    if (device != (ze_device_handle_t)&dummy_device || !count) return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    if (props && *count >= 1) props[0].totalSize = 16ull << 30;
    *count = 1;
    return ZE_RESULT_SUCCESS;
}
