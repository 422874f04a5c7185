#version 450
#extension GL_GOOGLE_include_directive : require
// The last stage, one work-group: each invocation keeps the best k of a
// strided share of the candidates, then invocation 0 merges those lists into
// the top k, best first. Slots past the number of rows get row NONE.
#define LANES 16
layout(local_size_x = LANES) in;
layout(std430, binding = 0) readonly buffer CandS { float cand_s[]; };
layout(std430, binding = 1) readonly buffer CandI { uint cand_i[]; };
layout(std430, binding = 2) writeonly buffer OutS { float out_s[]; };
layout(std430, binding = 3) writeonly buffer OutI { uint out_i[]; };
layout(push_constant) uniform Params { uint count; uint k; } p;
#include "topk.glsl"
shared float lane_s[LANES * MAX_TOP_K];
shared uint lane_i[LANES * MAX_TOP_K];
shared uint lane_len[LANES];

void main() {
    uint lid = gl_LocalInvocationIndex;
    for (uint c = lid; c < p.count; c += LANES)
        if (cand_i[c] != NONE) keep_best(p.k, cand_s[c], cand_i[c]);
    for (uint j = 0; j < len; ++j) {
        lane_s[lid * MAX_TOP_K + j] = top_s[j];
        lane_i[lid * MAX_TOP_K + j] = top_i[j];
    }
    lane_len[lid] = len;
    barrier();
    if (lid != 0) return;
    len = 0;
    for (uint l = 0; l < LANES; ++l)
        for (uint j = 0; j < lane_len[l]; ++j) keep_best(p.k, lane_s[l * MAX_TOP_K + j], lane_i[l * MAX_TOP_K + j]);
    for (uint j = 0; j < p.k; ++j) {
        out_s[j] = j < len ? top_s[j] : 0.0;
        out_i[j] = j < len ? top_i[j] : NONE;
    }
}
