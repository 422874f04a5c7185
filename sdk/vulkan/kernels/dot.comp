#version 450
// Each work-group sums a grid-strided share into partial[group] with a tree
// in shared memory; the host adds the partials.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Y { float y[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform Params { uint n; } p;
shared float scratch[256];

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint lid = gl_LocalInvocationID.x;
    float s = 0.0;
    for (uint i = gl_GlobalInvocationID.x; i < p.n; i += stride) s += x[i] * y[i];
    scratch[lid] = s;
    barrier();
    for (uint width = 128; width > 0; width /= 2) {
        if (lid < width) scratch[lid] += scratch[lid + width];
        barrier();
    }
    if (lid == 0) partial[gl_WorkGroupID.x] = scratch[0];
}
