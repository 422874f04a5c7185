#version 450
#extension GL_GOOGLE_include_directive : require
// Second pass of dot: one work-group adds the partials into result[0].
#define WG 256
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) writeonly buffer Result { float result[]; };
layout(push_constant) uniform Params { uint count; } p;
#include "reduce.glsl"

void main() {
    float s = 0.0;
    for (uint i = gl_LocalInvocationIndex; i < p.count; i += WG) s += partial[i];
    s = group_sum(s);
    if (gl_LocalInvocationIndex == 0) result[0] = s;
}
