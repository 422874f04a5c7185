// The one place OpenCL-CLHPP is configured: the OpenCL 3.0 API, with run-time
// fallbacks for older platforms. The minimum is 1.1, not 1.2, only because the
// CLHPP in Debian 12 (2.0.x) compiles detail::getContextPlatformVersion for a
// minimum below 1.2 yet calls it for any minimum below 2.0; the kernels
// themselves need OpenCL C 1.2 and are built with -cl-std=CL1.2.
#pragma once
#define CL_HPP_TARGET_OPENCL_VERSION 300
#define CL_HPP_MINIMUM_OPENCL_VERSION 110
#define CL_HPP_ENABLE_EXCEPTIONS
#include <CL/opencl.hpp>

// cl_nv_device_attribute_query: not in the Khronos headers Debian ships.
#ifndef CL_DEVICE_PCI_BUS_ID_NV
#define CL_DEVICE_PCI_BUS_ID_NV 0x4008
#define CL_DEVICE_PCI_SLOT_ID_NV 0x4009
#define CL_DEVICE_PCI_DOMAIN_ID_NV 0x400A
#endif
