#version 450
#extension GL_GOOGLE_include_directive : require
// First pass of dot: each work-group sums a grid-strided share (16-byte loads)
// into partial[group]; sum.comp then adds the partials on the device.
#define WG 256
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer X { vec4 x[]; };
layout(std430, binding = 1) readonly buffer Y { vec4 y[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform Params { uint n; } p;
#include "reduce.glsl"

void main() {
    uint quads = p.n / 4, stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x, t = gl_GlobalInvocationID.x;
    vec4 s4 = vec4(0.0);
    for (uint i = t; i < quads; i += stride) s4 += x[i] * y[i];
    float s = (s4.x + s4.y) + (s4.z + s4.w);
    if (t < p.n % 4) s += x[quads][t] * y[quads][t];
    s = group_sum(s);
    if (gl_LocalInvocationIndex == 0) partial[gl_WorkGroupID.x] = s;
}
