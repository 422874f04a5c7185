#version 450
#extension GL_GOOGLE_include_directive : require
// After cosine.comp: each invocation keeps the best k of a strided share of the scores.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Scores { float scores[]; };
layout(std430, binding = 1) writeonly buffer CandS { float cand_s[]; };
layout(std430, binding = 2) writeonly buffer CandI { uint cand_i[]; };
layout(push_constant) uniform Params { uint m; uint k; } p;
#include "topk.glsl"

void main() {
    uint g = gl_GlobalInvocationID.x, stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint row = g; row < p.m; row += stride) keep_best(p.k, scores[row], row);
    for (uint j = 0; j < p.k; ++j) {
        cand_s[g * p.k + j] = j < len ? top_s[j] : 0.0;
        cand_i[g * p.k + j] = j < len ? top_i[j] : NONE;
    }
}
