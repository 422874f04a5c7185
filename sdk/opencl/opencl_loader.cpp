#include "opencl_loader.hpp"

#include "gpuhost/vendor_library.hpp"

#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

namespace gpuhost::opencl {

namespace {
// GPUHOST_OPENCL_LOADER may name another loader file (tests use it).
void *open_loader(std::string &problem) {
    auto lib = sdk::open_vendor_library("GPUHOST_OPENCL_LOADER", {"libOpenCL.so.1"}, true);
    if (!lib.handle) problem = "no OpenCL ICD loader (" + lib.path + " could not be opened)";
    return lib.handle;
}

void *handle(std::string **problem_out = nullptr) {
    static std::string problem;
    static void *opened = nullptr;
    static std::once_flag once;
    std::call_once(once, [] { opened = open_loader(problem); });  // kept open: never unloaded
    if (problem_out) *problem_out = &problem;
    return opened;
}
}  // namespace

const std::string &loader_problem() {
    std::string *problem = nullptr;
    handle(&problem);
    return *problem;
}

void *loader_symbol(const char *name) {
    void *h = handle();
    return h ? dlsym(h, name) : nullptr;
}

}  // namespace gpuhost::opencl

// The entry points CLHPP uses, each forwarding to the opened loader. Without
// one, they answer CL_PLATFORM_NOT_FOUND_KHR (-1001), as the loader itself
// does when it finds no driver. Signatures as in Khronos' CL/cl.h.
namespace {
constexpr cl_int kNoLoader = -1001;
}

extern "C" {

CL_API_ENTRY cl_int CL_API_CALL clBuildProgram(cl_program program, cl_uint num_devices, const cl_device_id * device_list, const char * options, void (CL_CALLBACK * pfn_notify)(cl_program program, void * user_data), void * user_data) {
    auto *f = gpuhost::opencl::resolve<decltype(&clBuildProgram)>("clBuildProgram");
    if (!f) { return kNoLoader; }
    return f(program, num_devices, device_list, options, pfn_notify, user_data);
}

CL_API_ENTRY cl_mem CL_API_CALL clCreateBuffer(cl_context context, cl_mem_flags flags, size_t size, void * host_ptr, cl_int * errcode_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clCreateBuffer)>("clCreateBuffer");
    if (!f) { if (errcode_ret) *errcode_ret = kNoLoader; return nullptr; }
    return f(context, flags, size, host_ptr, errcode_ret);
}

CL_API_ENTRY cl_command_queue CL_API_CALL clCreateCommandQueue(cl_context context, cl_device_id device, cl_command_queue_properties properties, cl_int * errcode_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clCreateCommandQueue)>("clCreateCommandQueue");
    if (!f) { if (errcode_ret) *errcode_ret = kNoLoader; return nullptr; }
    return f(context, device, properties, errcode_ret);
}

CL_API_ENTRY cl_command_queue CL_API_CALL clCreateCommandQueueWithProperties(cl_context context, cl_device_id device, const cl_queue_properties * properties, cl_int * errcode_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clCreateCommandQueueWithProperties)>("clCreateCommandQueueWithProperties");
    if (!f) { if (errcode_ret) *errcode_ret = kNoLoader; return nullptr; }
    return f(context, device, properties, errcode_ret);
}

CL_API_ENTRY cl_context CL_API_CALL clCreateContext(const cl_context_properties * properties, cl_uint num_devices, const cl_device_id * devices, void (CL_CALLBACK * pfn_notify)(const char * errinfo, const void * private_info, size_t cb, void * user_data), void * user_data, cl_int * errcode_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clCreateContext)>("clCreateContext");
    if (!f) { if (errcode_ret) *errcode_ret = kNoLoader; return nullptr; }
    return f(properties, num_devices, devices, pfn_notify, user_data, errcode_ret);
}

CL_API_ENTRY cl_kernel CL_API_CALL clCreateKernel(cl_program program, const char * kernel_name, cl_int * errcode_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clCreateKernel)>("clCreateKernel");
    if (!f) { if (errcode_ret) *errcode_ret = kNoLoader; return nullptr; }
    return f(program, kernel_name, errcode_ret);
}

CL_API_ENTRY cl_program CL_API_CALL clCreateProgramWithSource(cl_context context, cl_uint count, const char ** strings, const size_t * lengths, cl_int * errcode_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clCreateProgramWithSource)>("clCreateProgramWithSource");
    if (!f) { if (errcode_ret) *errcode_ret = kNoLoader; return nullptr; }
    return f(context, count, strings, lengths, errcode_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueNDRangeKernel(cl_command_queue command_queue, cl_kernel kernel, cl_uint work_dim, const size_t * global_work_offset, const size_t * global_work_size, const size_t * local_work_size, cl_uint num_events_in_wait_list, const cl_event * event_wait_list, cl_event * event) {
    auto *f = gpuhost::opencl::resolve<decltype(&clEnqueueNDRangeKernel)>("clEnqueueNDRangeKernel");
    if (!f) { return kNoLoader; }
    return f(command_queue, kernel, work_dim, global_work_offset, global_work_size, local_work_size, num_events_in_wait_list, event_wait_list, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueMarkerWithWaitList(cl_command_queue command_queue, cl_uint num_events_in_wait_list, const cl_event * event_wait_list, cl_event * event) {
    auto *f = gpuhost::opencl::resolve<decltype(&clEnqueueMarkerWithWaitList)>("clEnqueueMarkerWithWaitList");
    if (!f) { return kNoLoader; }
    return f(command_queue, num_events_in_wait_list, event_wait_list, event);
}

CL_API_ENTRY cl_int CL_API_CALL clFinish(cl_command_queue command_queue) {
    auto *f = gpuhost::opencl::resolve<decltype(&clFinish)>("clFinish");
    if (!f) { return kNoLoader; }
    return f(command_queue);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueCopyBuffer(cl_command_queue command_queue, cl_mem src_buffer, cl_mem dst_buffer, size_t src_offset, size_t dst_offset, size_t size, cl_uint num_events_in_wait_list, const cl_event * event_wait_list, cl_event * event) {
    auto *f = gpuhost::opencl::resolve<decltype(&clEnqueueCopyBuffer)>("clEnqueueCopyBuffer");
    if (!f) { return kNoLoader; }
    return f(command_queue, src_buffer, dst_buffer, src_offset, dst_offset, size, num_events_in_wait_list, event_wait_list, event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueReadBuffer(cl_command_queue command_queue, cl_mem buffer, cl_bool blocking_read, size_t offset, size_t size, void * ptr, cl_uint num_events_in_wait_list, const cl_event * event_wait_list, cl_event * event) {
    auto *f = gpuhost::opencl::resolve<decltype(&clEnqueueReadBuffer)>("clEnqueueReadBuffer");
    if (!f) { return kNoLoader; }
    return f(command_queue, buffer, blocking_read, offset, size, ptr, num_events_in_wait_list, event_wait_list, event);
}

CL_API_ENTRY cl_int CL_API_CALL clGetContextInfo(cl_context context, cl_context_info param_name, size_t param_value_size, void * param_value, size_t * param_value_size_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetContextInfo)>("clGetContextInfo");
    if (!f) { return kNoLoader; }
    return f(context, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetDeviceIDs(cl_platform_id platform, cl_device_type device_type, cl_uint num_entries, cl_device_id * devices, cl_uint * num_devices) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetDeviceIDs)>("clGetDeviceIDs");
    if (!f) { return kNoLoader; }
    return f(platform, device_type, num_entries, devices, num_devices);
}

CL_API_ENTRY cl_int CL_API_CALL clGetDeviceInfo(cl_device_id device, cl_device_info param_name, size_t param_value_size, void * param_value, size_t * param_value_size_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetDeviceInfo)>("clGetDeviceInfo");
    if (!f) { return kNoLoader; }
    return f(device, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetEventProfilingInfo(cl_event event, cl_profiling_info param_name, size_t param_value_size, void * param_value, size_t * param_value_size_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetEventProfilingInfo)>("clGetEventProfilingInfo");
    if (!f) { return kNoLoader; }
    return f(event, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetPlatformIDs(cl_uint num_entries, cl_platform_id * platforms, cl_uint * num_platforms) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetPlatformIDs)>("clGetPlatformIDs");
    if (!f) { return kNoLoader; }
    return f(num_entries, platforms, num_platforms);
}

CL_API_ENTRY cl_int CL_API_CALL clGetPlatformInfo(cl_platform_id platform, cl_platform_info param_name, size_t param_value_size, void * param_value, size_t * param_value_size_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetPlatformInfo)>("clGetPlatformInfo");
    if (!f) { return kNoLoader; }
    return f(platform, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetProgramBuildInfo(cl_program program, cl_device_id device, cl_program_build_info param_name, size_t param_value_size, void * param_value, size_t * param_value_size_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetProgramBuildInfo)>("clGetProgramBuildInfo");
    if (!f) { return kNoLoader; }
    return f(program, device, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetProgramInfo(cl_program program, cl_program_info param_name, size_t param_value_size, void * param_value, size_t * param_value_size_ret) {
    auto *f = gpuhost::opencl::resolve<decltype(&clGetProgramInfo)>("clGetProgramInfo");
    if (!f) { return kNoLoader; }
    return f(program, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseCommandQueue(cl_command_queue command_queue) {
    auto *f = gpuhost::opencl::resolve<decltype(&clReleaseCommandQueue)>("clReleaseCommandQueue");
    if (!f) { return kNoLoader; }
    return f(command_queue);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseContext(cl_context context) {
    auto *f = gpuhost::opencl::resolve<decltype(&clReleaseContext)>("clReleaseContext");
    if (!f) { return kNoLoader; }
    return f(context);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseDevice(cl_device_id device) {
    auto *f = gpuhost::opencl::resolve<decltype(&clReleaseDevice)>("clReleaseDevice");
    if (!f) { return kNoLoader; }
    return f(device);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseEvent(cl_event event) {
    auto *f = gpuhost::opencl::resolve<decltype(&clReleaseEvent)>("clReleaseEvent");
    if (!f) { return kNoLoader; }
    return f(event);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseKernel(cl_kernel kernel) {
    auto *f = gpuhost::opencl::resolve<decltype(&clReleaseKernel)>("clReleaseKernel");
    if (!f) { return kNoLoader; }
    return f(kernel);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseMemObject(cl_mem memobj) {
    auto *f = gpuhost::opencl::resolve<decltype(&clReleaseMemObject)>("clReleaseMemObject");
    if (!f) { return kNoLoader; }
    return f(memobj);
}

CL_API_ENTRY cl_int CL_API_CALL clReleaseProgram(cl_program program) {
    auto *f = gpuhost::opencl::resolve<decltype(&clReleaseProgram)>("clReleaseProgram");
    if (!f) { return kNoLoader; }
    return f(program);
}

CL_API_ENTRY cl_int CL_API_CALL clRetainDevice(cl_device_id device) {
    auto *f = gpuhost::opencl::resolve<decltype(&clRetainDevice)>("clRetainDevice");
    if (!f) { return kNoLoader; }
    return f(device);
}

CL_API_ENTRY cl_int CL_API_CALL clSetKernelArg(cl_kernel kernel, cl_uint arg_index, size_t arg_size, const void * arg_value) {
    auto *f = gpuhost::opencl::resolve<decltype(&clSetKernelArg)>("clSetKernelArg");
    if (!f) { return kNoLoader; }
    return f(kernel, arg_index, arg_size, arg_value);
}

CL_API_ENTRY cl_int CL_API_CALL clWaitForEvents(cl_uint num_events, const cl_event * event_list) {
    auto *f = gpuhost::opencl::resolve<decltype(&clWaitForEvents)>("clWaitForEvents");
    if (!f) { return kNoLoader; }
    return f(num_events, event_list);
}
}  // extern "C"
