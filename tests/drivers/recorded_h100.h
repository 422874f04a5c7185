/* Two GPUs of a real 8x H100 SXM machine, as its `nvidia-smi -q` reported
 * them: tests/fixtures/machines/nvidia-multi-gpu-server (source: github.com/
 * thamada/nvidia-smi, nvsim/H100SXMx8_smi.py at 03fbe6e). Compute capability
 * 9.0 is NVIDIA's published figure for H100 (developer.nvidia.com/cuda-gpus). */
#ifndef GPUHOST_RECORDED_H100_H
#define GPUHOST_RECORDED_H100_H

#define RECORDED_DRIVER_VERSION "565.57.01"
#define RECORDED_CUDA_VERSION 12070 /* "CUDA Version : 12.7" */
#define RECORDED_GPU_COUNT 2
#define RECORDED_MIB (1024ull * 1024ull)

struct recorded_gpu {
    const char *name, *uuid, *bus_id;
    unsigned bus;
    unsigned pci_device_id;                 /* "Device Id : 0x233010DE" */
    unsigned long long total_mib, free_mib; /* "FB Memory Usage" */
    int cc_major, cc_minor;
};

static const struct recorded_gpu recorded_gpus[RECORDED_GPU_COUNT] = {
    {"NVIDIA H100 80GB HBM3", "GPU-b42dd28e-ffdd-8720-1df0-98bd8cdc05b1", "00000000:18:00.0", 0x18, 0x233010DEu,
     81559, 81106, 9, 0},
    {"NVIDIA H100 80GB HBM3", "GPU-7c3cadbd-17e5-0913-f69b-c618122ea0cd", "00000000:2A:00.0", 0x2a, 0x233010DEu,
     81559, 81106, 9, 0},
};

#endif
