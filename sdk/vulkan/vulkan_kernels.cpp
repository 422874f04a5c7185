#include "vulkan_kernels.hpp"

#include "gpuhost/kernel_support.hpp"
#include "gpuhost/vendor_ids.hpp"
#include "vk.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

// SPIR-V from glslangValidator --vn (see CMakeLists.txt).
#include "copy.spv.h"
#include "cosine.spv.h"
#include "cosine_sg.spv.h"
#include "dot.spv.h"
#include "dot_sg.spv.h"
#include "saxpy.spv.h"
#include "sgemm.spv.h"
#include "sum.spv.h"
#include "sum_sg.spv.h"
#include "topk_candidates.spv.h"
#include "topk_merge.spv.h"

namespace json = boost::json;

namespace gpuhost::vulkan {

namespace {

struct Shader {
    const std::uint32_t *code;
    size_t bytes;
    std::uint32_t bindings;
};

const std::map<std::string, Shader> &shaders() {
    static const std::map<std::string, Shader> table = {
        {"saxpy", {spirv_saxpy, sizeof spirv_saxpy, 3}},
        {"copy", {spirv_copy, sizeof spirv_copy, 2}},
        {"dot", {spirv_dot, sizeof spirv_dot, 3}},
        {"dot_sg", {spirv_dot_sg, sizeof spirv_dot_sg, 3}},
        {"sum", {spirv_sum, sizeof spirv_sum, 2}},
        {"sum_sg", {spirv_sum_sg, sizeof spirv_sum_sg, 2}},
        {"sgemm", {spirv_sgemm, sizeof spirv_sgemm, 3}},
        {"cosine", {spirv_cosine, sizeof spirv_cosine, 5}},
        {"cosine_sg", {spirv_cosine_sg, sizeof spirv_cosine_sg, 5}},
        {"topk_candidates", {spirv_topk_candidates, sizeof spirv_topk_candidates, 3}},
        {"topk_merge", {spirv_topk_merge, sizeof spirv_topk_merge, 4}},
    };
    return table;
}

struct Pipeline {
    vk::ShaderModule module;
    vk::DescriptorSetLayout set_layout;
    vk::PipelineLayout layout;
    vk::Pipeline pipeline;
    std::uint32_t bindings = 0;
};

struct DeviceContext {
    vk::PhysicalDevice physical;
    std::string name;
    vk::Device device;
    vk::Queue queue;
    std::uint32_t family = 0;
    vk::CommandPool pool;
    vk::QueryPool queries;
    bool timestamps = false;
    double period_ns = 1;
    std::uint64_t timestamp_mask = ~0ull;
    vk::PhysicalDeviceMemoryProperties memory;
    // Direct: the shaders use host-visible memory the host maps (CPUs,
    // integrated GPUs, resizable BAR). Otherwise buffers live in device-local
    // memory and data moves through staging buffers, outside the timing.
    bool direct = true;
    std::uint32_t max_groups = 65535;
    std::uint64_t max_range = 1ull << 27;  // maxStorageBufferRange: the largest buffer a shader may bind
    // Subgroup arithmetic in compute shaders: the *_sg shaders reduce with
    // subgroupAdd; else the shared-memory forms run.
    bool subgroups = false;
    std::uint32_t subgroup_size = 1;

    // A memory type among `allowed` with all of `must`, preferring `prefer`.
    std::uint32_t memory_type(std::uint32_t allowed, vk::MemoryPropertyFlags must, vk::MemoryPropertyFlags prefer) const {
        int best = -1;
        for (std::uint32_t t = 0; t < memory.memoryTypeCount; ++t) {
            auto flags = memory.memoryTypes[t].propertyFlags;
            if (!(allowed & (1u << t)) || (flags & must) != must) continue;
            if ((flags & prefer) == prefer) return t;
            if (best < 0) best = int(t);
        }
        if (best < 0) throw std::runtime_error("the Vulkan device has no suitable memory type");
        return std::uint32_t(best);
    }

    // Runs one buffer-to-buffer copy and waits for it.
    void copy(vk::Buffer from, vk::Buffer to, vk::DeviceSize bytes) {
        auto cmd = device.allocateCommandBuffers(vk::CommandBufferAllocateInfo(pool, vk::CommandBufferLevel::ePrimary, 1)).front();
        cmd.begin(vk::CommandBufferBeginInfo(vk::CommandBufferUsageFlagBits::eOneTimeSubmit));
        cmd.copyBuffer(from, to, vk::BufferCopy(0, 0, bytes));
        cmd.end();
        auto fence = device.createFence({});
        queue.submit(vk::SubmitInfo({}, {}, cmd), fence);
        auto r = device.waitForFences(fence, VK_TRUE, 60'000'000'000ull);
        device.destroyFence(fence);
        device.freeCommandBuffers(pool, cmd);
        if (r != vk::Result::eSuccess) throw std::runtime_error("a Vulkan buffer copy did not finish within 60 s");
    }
    std::map<std::string, Pipeline> pipelines;

    Pipeline &pipeline(const std::string &name) {
        auto &p = pipelines[name];
        if (p.pipeline) return p;
        const Shader &s = shaders().at(name);
        p.bindings = s.bindings;
        p.module = device.createShaderModule(vk::ShaderModuleCreateInfo({}, s.bytes, s.code));
        std::vector<vk::DescriptorSetLayoutBinding> binds;
        for (std::uint32_t b = 0; b < s.bindings; ++b)
            binds.emplace_back(b, vk::DescriptorType::eStorageBuffer, 1, vk::ShaderStageFlagBits::eCompute);
        p.set_layout = device.createDescriptorSetLayout(vk::DescriptorSetLayoutCreateInfo({}, binds));
        vk::PushConstantRange push(vk::ShaderStageFlagBits::eCompute, 0, 16);
        p.layout = device.createPipelineLayout(vk::PipelineLayoutCreateInfo({}, p.set_layout, push));
        vk::ComputePipelineCreateInfo info({}, vk::PipelineShaderStageCreateInfo({}, vk::ShaderStageFlagBits::eCompute,
                                                                                 p.module, "main"),
                                           p.layout);
        p.pipeline = device.createComputePipeline(nullptr, info).value;
        return p;
    }
};

// A storage buffer: mapped host memory when the context is direct (or for a
// staging buffer), device-local memory filled and read through staging otherwise.
struct Buffer {
    DeviceContext &ctx;
    vk::Buffer buffer;
    vk::DeviceMemory memory;
    void *mapped = nullptr;
    size_t bytes = 0;

    // Whole vec4s: the shaders read and write 16 bytes at a time.
    Buffer(DeviceContext &c, size_t size, bool host_side = false) : ctx(c), bytes((std::max<size_t>(size, 4) + 15) / 16 * 16) {
        using F = vk::MemoryPropertyFlagBits;
        if (!host_side && bytes > ctx.max_range)
            throw std::runtime_error("a buffer of " + std::to_string(bytes) + " bytes exceeds this device's "
                                     "maxStorageBufferRange of " + std::to_string(ctx.max_range) + " bytes");
        bool mappable = host_side || ctx.direct;
        auto usage = vk::BufferUsageFlagBits::eStorageBuffer | vk::BufferUsageFlagBits::eTransferSrc |
                     vk::BufferUsageFlagBits::eTransferDst;
        buffer = ctx.device.createBuffer(vk::BufferCreateInfo({}, bytes, usage));
        auto req = ctx.device.getBufferMemoryRequirements(buffer);
        auto type = mappable ? ctx.memory_type(req.memoryTypeBits, F::eHostVisible | F::eHostCoherent,
                                               ctx.direct ? vk::MemoryPropertyFlags(F::eDeviceLocal) : vk::MemoryPropertyFlags())
                             : ctx.memory_type(req.memoryTypeBits, F::eDeviceLocal, F::eDeviceLocal);
        memory = ctx.device.allocateMemory(vk::MemoryAllocateInfo(req.size, type));
        ctx.device.bindBufferMemory(buffer, memory, 0);
        if (mappable) mapped = ctx.device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    }
    Buffer(DeviceContext &c, const float *data, size_t count) : Buffer(c, count * sizeof(float)) {
        if (mapped) {
            std::memcpy(mapped, data, count * sizeof(float));
        } else {
            Buffer staging(ctx, count * sizeof(float), true);
            std::memcpy(staging.mapped, data, count * sizeof(float));
            ctx.copy(staging.buffer, buffer, staging.bytes);
        }
    }
    ~Buffer() {
        if (mapped) ctx.device.unmapMemory(memory);
        ctx.device.destroyBuffer(buffer);
        ctx.device.freeMemory(memory);
    }
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    void read(float *out, size_t count) {
        if (mapped) {
            std::memcpy(out, mapped, count * sizeof(float));
            return;
        }
        Buffer staging(ctx, count * sizeof(float), true);
        ctx.copy(buffer, staging.buffer, staging.bytes);
        std::memcpy(out, staging.mapped, count * sizeof(float));
    }
    std::vector<float> read(size_t count) {
        std::vector<float> out(count);
        read(out.data(), count);
        return out;
    }
};

vk::PhysicalDevice find_device(const json::object &record, std::string &name) {
    name = record.contains("name") && record.at("name").is_string() ? std::string(record.at("name").as_string()) : "";
    // From the probe's own details: a merged record's top-level uuid may be
    // the vendor plugin's, in another form.
    std::string uuid;
    std::int64_t index = -1;
    if (auto d = record.find("details"); d != record.end() && d->value().is_object()) {
        const auto &details = d->value().as_object();
        if (auto i = details.find("device_index"); i != details.end() && i->value().is_int64()) index = i->value().as_int64();
        if (auto u = details.find("device_uuid"); u != details.end() && u->value().is_string()) uuid = u->value().as_string();
    }
    auto devices = instance().enumeratePhysicalDevices();
    auto matches = [&](vk::PhysicalDevice p) {
        vk::PhysicalDeviceIDProperties id;
        vk::PhysicalDeviceProperties2 props(vk::PhysicalDeviceProperties{}, &id);
        p.getProperties2(&props);
        bool same_uuid = uuid.empty() || sdk::uuid_text(id.deviceUUID.data()) == uuid;
        return std::string(props.properties.deviceName.data()) == name && same_uuid;
    };
    if (index >= 0 && index < std::int64_t(devices.size()) && matches(devices[index])) return devices[index];
    for (auto p : devices)
        if (matches(p)) return p;
    throw std::runtime_error("Vulkan device \"" + name + "\" not found");
}

DeviceContext &context_for(const json::object &record) {
    static std::mutex lock;
    static std::map<std::string, std::unique_ptr<DeviceContext>> cache;
    std::lock_guard<std::mutex> guard(lock);
    std::string key = json::serialize(record.contains("details") ? record.at("details") : json::value()) +
                      (record.contains("name") ? json::serialize(record.at("name")) : "");
    auto &slot = cache[key];
    if (slot) return *slot;
    auto ctx = std::make_unique<DeviceContext>();
    ctx->physical = find_device(record, ctx->name);
    auto families = ctx->physical.getQueueFamilyProperties();
    bool found = false;
    for (std::uint32_t f = 0; f < families.size() && !found; ++f)
        if (families[f].queueFlags & vk::QueueFlagBits::eCompute) ctx->family = f, found = true;
    if (!found) throw std::runtime_error("the Vulkan device has no compute queue");
    float priority = 1.0f;
    vk::DeviceQueueCreateInfo queue_info({}, ctx->family, 1, &priority);
    ctx->device = ctx->physical.createDevice(vk::DeviceCreateInfo({}, queue_info));
    ctx->queue = ctx->device.getQueue(ctx->family, 0);
    ctx->pool = ctx->device.createCommandPool(vk::CommandPoolCreateInfo({}, ctx->family));
    auto props = ctx->physical.getProperties();
    ctx->max_groups = props.limits.maxComputeWorkGroupCount[0];
    ctx->max_range = props.limits.maxStorageBufferRange;
    std::uint32_t bits = families[ctx->family].timestampValidBits;
    if (bits > 0 && props.limits.timestampPeriod > 0) {
        ctx->timestamps = true;
        ctx->period_ns = props.limits.timestampPeriod;
        ctx->timestamp_mask = bits >= 64 ? ~0ull : ((1ull << bits) - 1);
        ctx->queries = ctx->device.createQueryPool(vk::QueryPoolCreateInfo({}, vk::QueryType::eTimestamp, 2));
    }
    ctx->memory = ctx->physical.getMemoryProperties();
    // Direct when some host-visible coherent memory is also device-local, or
    // nothing is device-local. GPUHOST_VULKAN_STAGING=1 forces the staging
    // path (so tests exercise it on llvmpipe too).
    bool any_local = false, shared_local = false;
    for (std::uint32_t t = 0; t < ctx->memory.memoryTypeCount; ++t) {
        auto flags = ctx->memory.memoryTypes[t].propertyFlags;
        bool local = bool(flags & vk::MemoryPropertyFlagBits::eDeviceLocal);
        any_local = any_local || local;
        shared_local = shared_local || (local && (flags & vk::MemoryPropertyFlagBits::eHostVisible) &&
                                        (flags & vk::MemoryPropertyFlagBits::eHostCoherent));
    }
    // GPUHOST_VULKAN_NO_SUBGROUPS=1 forces the shared-memory forms (tests run both).
    {
        vk::PhysicalDeviceSubgroupProperties sub;
        vk::PhysicalDeviceProperties2 props2(vk::PhysicalDeviceProperties{}, &sub);
        ctx->physical.getProperties2(&props2);
        const char *no = std::getenv("GPUHOST_VULKAN_NO_SUBGROUPS");
        ctx->subgroups = props2.properties.apiVersion >= VK_API_VERSION_1_1 &&
                         (sub.supportedStages & vk::ShaderStageFlagBits::eCompute) &&
                         (sub.supportedOperations & vk::SubgroupFeatureFlagBits::eArithmetic) &&
                         sub.subgroupSize >= 1 && sub.subgroupSize <= 64 && !(no && std::string(no) == "1");
        ctx->subgroup_size = std::max<std::uint32_t>(sub.subgroupSize, 1);
    }
    const char *force = std::getenv("GPUHOST_VULKAN_STAGING");
    ctx->direct = (shared_local || !any_local) && !(force && std::string(force) == "1");
    slot = std::move(ctx);
    return *slot;
}

// One step of a recorded command buffer: a dispatch of a shader over
// buffers, or (shader empty) the driver's own copy of `copy_bytes` from the
// first buffer to the second.
struct Step {
    std::string shader;
    std::vector<const Buffer *> buffers;
    std::vector<std::uint8_t> push;
    std::uint32_t gx = 1, gy = 1;
    vk::DeviceSize copy_bytes = 0;
};

template <class T>
std::vector<std::uint8_t> push_bytes(const T &value) {
    const auto *p = reinterpret_cast<const std::uint8_t *>(&value);
    return std::vector<std::uint8_t>(p, p + sizeof value);
}

// Steps recorded once into one command buffer, with a barrier between them
// (each reads what the one before wrote), submitted once per run and timed
// by the device's timestamps around all of them.
class Dispatch {
public:
    Dispatch(DeviceContext &ctx, const std::vector<Step> &steps) : ctx_(ctx) {
        std::uint32_t descriptors = 0, sets = 0;
        for (const auto &st : steps)
            if (!st.shader.empty()) descriptors += ctx.pipeline(st.shader).bindings, ++sets;
        if (sets) {
            vk::DescriptorPoolSize size(vk::DescriptorType::eStorageBuffer, descriptors);
            pool_ = ctx.device.createDescriptorPool(vk::DescriptorPoolCreateInfo({}, sets, size));
        }
        cmd_ = ctx.device.allocateCommandBuffers(vk::CommandBufferAllocateInfo(ctx.pool, vk::CommandBufferLevel::ePrimary, 1))
                   .front();
        cmd_.begin(vk::CommandBufferBeginInfo());
        if (ctx.timestamps) {
            cmd_.resetQueryPool(ctx.queries, 0, 2);
            cmd_.writeTimestamp(vk::PipelineStageFlagBits::eTopOfPipe, ctx.queries, 0);
        }
        // Uploads (host writes or staging copies) before the shaders read.
        vk::MemoryBarrier before(vk::AccessFlagBits::eHostWrite | vk::AccessFlagBits::eTransferWrite,
                                 vk::AccessFlagBits::eShaderRead | vk::AccessFlagBits::eTransferRead);
        cmd_.pipelineBarrier(vk::PipelineStageFlagBits::eHost | vk::PipelineStageFlagBits::eTransfer,
                             vk::PipelineStageFlagBits::eComputeShader | vk::PipelineStageFlagBits::eTransfer, {}, before,
                             {}, {});
        bool first = true;
        for (const auto &st : steps) {
            if (!first) {
                vk::MemoryBarrier between(vk::AccessFlagBits::eShaderWrite | vk::AccessFlagBits::eTransferWrite,
                                          vk::AccessFlagBits::eShaderRead | vk::AccessFlagBits::eTransferRead);
                cmd_.pipelineBarrier(vk::PipelineStageFlagBits::eComputeShader | vk::PipelineStageFlagBits::eTransfer,
                                     vk::PipelineStageFlagBits::eComputeShader | vk::PipelineStageFlagBits::eTransfer, {},
                                     between, {}, {});
            }
            first = false;
            if (st.shader.empty()) {
                cmd_.copyBuffer(st.buffers.at(0)->buffer, st.buffers.at(1)->buffer, vk::BufferCopy(0, 0, st.copy_bytes));
                continue;
            }
            Pipeline &p = ctx.pipeline(st.shader);
            auto set = ctx.device.allocateDescriptorSets(vk::DescriptorSetAllocateInfo(pool_, p.set_layout)).front();
            std::vector<vk::DescriptorBufferInfo> infos;
            for (const auto *b : st.buffers) infos.emplace_back(b->buffer, 0, VK_WHOLE_SIZE);
            std::vector<vk::WriteDescriptorSet> writes;
            for (std::uint32_t i = 0; i < infos.size(); ++i)
                writes.emplace_back(set, i, 0, 1, vk::DescriptorType::eStorageBuffer, nullptr, &infos[i]);
            ctx.device.updateDescriptorSets(writes, {});
            cmd_.bindPipeline(vk::PipelineBindPoint::eCompute, p.pipeline);
            cmd_.bindDescriptorSets(vk::PipelineBindPoint::eCompute, p.layout, 0, set, {});
            if (!st.push.empty())
                cmd_.pushConstants(p.layout, vk::ShaderStageFlagBits::eCompute, 0, std::uint32_t(st.push.size()), st.push.data());
            cmd_.dispatch(st.gx, st.gy, 1);
        }
        // The writes, visible to host reads and to staging copies.
        vk::MemoryBarrier after(vk::AccessFlagBits::eShaderWrite | vk::AccessFlagBits::eTransferWrite,
                                vk::AccessFlagBits::eHostRead | vk::AccessFlagBits::eTransferRead);
        cmd_.pipelineBarrier(vk::PipelineStageFlagBits::eComputeShader | vk::PipelineStageFlagBits::eTransfer,
                             vk::PipelineStageFlagBits::eHost | vk::PipelineStageFlagBits::eTransfer, {}, after, {}, {});
        if (ctx.timestamps) cmd_.writeTimestamp(vk::PipelineStageFlagBits::eBottomOfPipe, ctx.queries, 1);
        cmd_.end();
        fence_ = ctx.device.createFence({});
    }
    Dispatch(DeviceContext &ctx, const std::string &shader, const std::vector<const Buffer *> &buffers,
             const void *push, std::uint32_t push_size, std::uint32_t gx, std::uint32_t gy = 1)
        : Dispatch(ctx, {Step{shader, buffers,
                              std::vector<std::uint8_t>(static_cast<const std::uint8_t *>(push),
                                                        static_cast<const std::uint8_t *>(push) + push_size),
                              gx, gy, 0}}) {}
    ~Dispatch() {
        ctx_.device.destroyFence(fence_);
        ctx_.device.freeCommandBuffers(ctx_.pool, cmd_);
        if (pool_) ctx_.device.destroyDescriptorPool(pool_);
    }
    // Seconds by the device's timestamps, or -1 when it has none.
    double run() {
        ctx_.device.resetFences(fence_);
        ctx_.queue.submit(vk::SubmitInfo({}, {}, cmd_), fence_);
        if (ctx_.device.waitForFences(fence_, VK_TRUE, 60'000'000'000ull) != vk::Result::eSuccess)
            throw std::runtime_error("the Vulkan dispatch did not finish within 60 s");
        if (!ctx_.timestamps) return -1;
        std::uint64_t ts[2] = {0, 0};
        auto r = ctx_.device.getQueryPoolResults(ctx_.queries, 0, 2, sizeof ts, ts, sizeof(std::uint64_t),
                                                 vk::QueryResultFlagBits::e64 | vk::QueryResultFlagBits::eWait);
        if (r != vk::Result::eSuccess) return -1;
        return double((ts[1] - ts[0]) & ctx_.timestamp_mask) * ctx_.period_ns * 1e-9;
    }

private:
    DeviceContext &ctx_;
    vk::DescriptorPool pool_;
    vk::CommandBuffer cmd_;
    vk::Fence fence_;
};

std::uint32_t groups_for(std::uint64_t items, std::uint32_t per_group, std::uint32_t max_groups) {
    return std::uint32_t(std::min<std::uint64_t>(std::max<std::uint64_t>(1, (items + per_group - 1) / per_group), max_groups));
}

}  // namespace

gpuhost_status run_vulkan_kernel(const json::object &record, gpuhost_kernel_args &args, std::string &message) {
    if (auto why = sdk::validate_kernel_args(args); !why.empty()) {
        message = why;
        return GPUHOST_ERR_ARGUMENT;
    }
    // The shaders index with 32-bit unsigned integers.
    constexpr std::uint64_t kLimit = 1ull << 31;
    if (args.n >= kLimit || args.m * std::max<std::uint64_t>(args.k, 1) >= kLimit || args.k * args.n >= kLimit ||
        args.m * args.n >= kLimit) {
        message = "the Vulkan kernels take at most 2^31 elements per buffer";
        return GPUHOST_ERR_ARGUMENT;
    }
    try {
        DeviceContext &ctx = context_for(record);
        bool device_timer = true;
        auto timed = [&](Dispatch &d) {
            return sdk::time_median(sdk::repeat_count(args), device_timer, [&] { return d.run(); });
        };
        const std::uint32_t n = std::uint32_t(args.n);
        switch (args.kernel) {
        case GPUHOST_KERNEL_SAXPY: {
            Buffer x(ctx, args.x, n), y_in(ctx, args.y, n), y(ctx, n * sizeof(float));
            struct { std::uint32_t n; float alpha; } push{n, args.alpha};
            Dispatch d(ctx, "saxpy", {&x, &y_in, &y}, &push, sizeof push, groups_for(n / 4, 256, ctx.max_groups));
            args.seconds = timed(d);
            y.read(args.y, n);
            break;
        }
        case GPUHOST_KERNEL_COPY: {
            Buffer x(ctx, args.x, n), y(ctx, n * sizeof(float)), scratch(ctx, n * sizeof(float));
            std::uint32_t push = n;
            Dispatch d(ctx, "copy", {&x, &y}, &push, sizeof push, groups_for(n / 4, 256, ctx.max_groups));
            args.seconds = timed(d);
            y.read(args.y, n);
            // The driver's own copy of the same bytes: the other half of the ceiling.
            Step copy;
            copy.buffers = {&x, &scratch};
            copy.copy_bytes = n * sizeof(float);
            Dispatch driver(ctx, {copy});
            bool driver_timer = true;
            args.driver_copy_seconds = sdk::time_median(sdk::repeat_count(args), driver_timer, [&] { return driver.run(); });
            if (!driver_timer) args.driver_copy_seconds = 0;  // a wall clock is no ceiling
            break;
        }
        case GPUHOST_KERNEL_DOT: {
            // One pass, then one work-group adds the partials: both on the device.
            std::uint32_t groups = groups_for(n / 4, 256, 4096);
            Buffer x(ctx, args.x, n), y(ctx, args.y, n), partial(ctx, groups * sizeof(float)), result(ctx, sizeof(float));
            std::string sg = ctx.subgroups ? "_sg" : "";
            Dispatch d(ctx, {Step{"dot" + sg, {&x, &y, &partial}, push_bytes(n), groups, 1, 0},
                             Step{"sum" + sg, {&partial, &result}, push_bytes(groups), 1, 1, 0}});
            args.seconds = timed(d);
            result.read(args.c, 1);
            message = "one pass and a device-side sum of " + std::to_string(groups) + " partials" +
                      (ctx.subgroups ? " (subgroup sums)" : " (shared-memory sums)") + "; ";
            break;
        }
        case GPUHOST_KERNEL_SGEMM: {
            Buffer a(ctx, args.a, args.m * args.k), b(ctx, args.b, args.k * args.n), c(ctx, args.m * args.n * sizeof(float));
            struct { std::uint32_t m, n, k; } push{std::uint32_t(args.m), std::uint32_t(args.n), std::uint32_t(args.k)};
            std::uint32_t gx = std::uint32_t((args.n + 15) / 16), gy = std::uint32_t((args.m + 15) / 16);
            if (gx > ctx.max_groups || gy > ctx.max_groups) {
                message = "sgemm too large for one Vulkan dispatch";
                return GPUHOST_ERR_ARGUMENT;
            }
            Dispatch d(ctx, "sgemm", {&a, &b, &c}, &push, sizeof push, gx, gy);
            args.seconds = timed(d);
            c.read(args.c, args.m * args.n);
            break;
        }
        case GPUHOST_KERNEL_COSINE_TOPK: {
            if (args.top_k > 64) {
                message = "cosine_topk on the device keeps at most 64 rows";
                return GPUHOST_ERR_ARGUMENT;
            }
            const std::uint32_t m = std::uint32_t(args.m), k = std::uint32_t(args.k), top_k = args.top_k;
            Buffer a(ctx, args.a, args.m * args.k), q(ctx, args.x, args.k), scores(ctx, args.m * sizeof(float));
            double q_norm2 = 0;
            for (std::uint64_t i = 0; i < args.k; ++i) q_norm2 += double(args.x[i]) * args.x[i];
            struct { std::uint32_t m, k; float q_norm2; } push{m, k, float(q_norm2)};
            // Scores: a subgroup per row (64 / subgroup size rows per group), or a group per row.
            std::uint32_t rows_per_group = ctx.subgroups ? std::max<std::uint32_t>(1, 64 / ctx.subgroup_size) : 1;
            std::uint32_t score_groups = groups_for(m, rows_per_group, ctx.max_groups);
            // Candidates: up to 1024 invocations keep their best k; one group merges.
            std::uint32_t pick_groups = groups_for(m, 64, 16), candidates = pick_groups * 64 * top_k;
            Buffer cand_s(ctx, candidates * sizeof(float)), cand_i(ctx, candidates * sizeof(std::uint32_t));
            Buffer top_s(ctx, top_k * sizeof(float)), top_i(ctx, top_k * sizeof(std::uint32_t));
            struct { std::uint32_t m, k; } pick_push{m, top_k};
            struct { std::uint32_t count, k; } merge_push{candidates, top_k};
            Dispatch d(ctx, {Step{ctx.subgroups ? "cosine_sg" : "cosine", {&a, &q, &scores, &a, &q}, push_bytes(push), score_groups, 1, 0},
                             Step{"topk_candidates", {&scores, &cand_s, &cand_i}, push_bytes(pick_push), pick_groups, 1, 0},
                             Step{"topk_merge", {&cand_s, &cand_i, &top_s, &top_i}, push_bytes(merge_push), 1, 1, 0}});
            args.seconds = timed(d);
            auto best_s = top_s.read(top_k);
            std::vector<float> raw_i = top_i.read(top_k);  // uints, read as 4-byte words
            for (std::uint32_t i = 0; i < top_k; ++i) {
                std::uint32_t row;
                std::memcpy(&row, &raw_i[i], sizeof row);
                bool empty = row == 0xffffffffu;
                args.indices[i] = empty ? -1 : std::int64_t(row);
                args.c[i] = empty ? std::numeric_limits<float>::quiet_NaN() : best_s[i];
            }
            message = std::string("scores and top-k selection on the device") +
                      (ctx.subgroups ? " (a subgroup per row)" : " (a work-group per row)") + "; ";
            break;
        }
        }
        sdk::set_implementation(args, "own kernel");
        args.device_timer = device_timer ? 1 : 0;
        message += "vulkan: " + ctx.name + (ctx.direct ? "" : " (device-local buffers, staged copies)");
        return GPUHOST_OK;
    } catch (const vk::SystemError &e) {
        message = std::string("Vulkan error: ") + e.what();
    } catch (const std::exception &e) {
        message = e.what();
    }
    return GPUHOST_ERR_FAILED;
}

}  // namespace gpuhost::vulkan
