#version 450
// y = x: the copy kernel, one half of the bandwidth ceiling (the other is the
// driver's vkCmdCopyBuffer). 16-byte accesses; buffers are allocated in whole
// vec4s, and the n % 4 last floats are written one by one.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { vec4 x[]; };
layout(std430, binding = 1) writeonly buffer Y { vec4 y[]; };
layout(push_constant) uniform Params { uint n; } p;

void main() {
    uint quads = p.n / 4, stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x, t = gl_GlobalInvocationID.x;
    for (uint i = t; i < quads; i += stride) y[i] = x[i];
    if (t < p.n % 4) y[quads][t] = x[quads][t];
}
