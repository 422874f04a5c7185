#version 450
// Cosine scores, each row read once (its dot with the query and its squared
// norm together), 0 for a zero vector. With SUBGROUP, one subgroup per row
// (subgroupAdd); else one work-group per row with a tree in shared memory.
// Rows are grid-strided. With k % 4 == 0 the row is read as vec4s.
#define WG 64
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer Q { float q[]; };
layout(std430, binding = 2) writeonly buffer Scores { float scores[]; };
layout(std430, binding = 3) readonly buffer A4 { vec4 a4[]; };
layout(std430, binding = 4) readonly buffer Q4 { vec4 q4[]; };
layout(push_constant) uniform Params { uint m; uint k; float q_norm2; } p;

float cosine_of(float d, float n2) { return (n2 > 0.0 && p.q_norm2 > 0.0) ? d / sqrt(n2 * p.q_norm2) : 0.0; }

#if SUBGROUP
#extension GL_KHR_shader_subgroup_arithmetic : require
void main() {
    uint lane = gl_SubgroupInvocationID, width = gl_SubgroupSize;
    uint first = gl_WorkGroupID.x * gl_NumSubgroups + gl_SubgroupID, step = gl_NumWorkGroups.x * gl_NumSubgroups;
    for (uint row = first; row < p.m; row += step) {
        float d = 0.0, n2 = 0.0;
        if (p.k % 4 == 0) {
            uint base = row * (p.k / 4);
            vec4 d4 = vec4(0.0), n4 = vec4(0.0);
            for (uint i = lane; i < p.k / 4; i += width) {
                vec4 v = a4[base + i];
                d4 += v * q4[i];
                n4 += v * v;
            }
            d = (d4.x + d4.y) + (d4.z + d4.w);
            n2 = (n4.x + n4.y) + (n4.z + n4.w);
        } else {
            uint base = row * p.k;
            for (uint i = lane; i < p.k; i += width) {
                float v = a[base + i];
                d += v * q[i];
                n2 += v * v;
            }
        }
        d = subgroupAdd(d);
        n2 = subgroupAdd(n2);
        if (subgroupElect()) scores[row] = cosine_of(d, n2);
    }
}
#else
shared float dots[WG];
shared float norms[WG];
void main() {
    uint lid = gl_LocalInvocationID.x;
    for (uint row = gl_WorkGroupID.x; row < p.m; row += gl_NumWorkGroups.x) {
        float d = 0.0, n2 = 0.0;
        if (p.k % 4 == 0) {
            uint base = row * (p.k / 4);
            for (uint i = lid; i < p.k / 4; i += WG) {
                vec4 v = a4[base + i];
                d += dot(v, q4[i]);
                n2 += dot(v, v);
            }
        } else {
            uint base = row * p.k;
            for (uint i = lid; i < p.k; i += WG) {
                float v = a[base + i];
                d += v * q[i];
                n2 += v * v;
            }
        }
        dots[lid] = d;
        norms[lid] = n2;
        for (uint width = WG / 2; width > 0; width /= 2) {
            barrier();
            if (lid < width) {
                dots[lid] += dots[lid + width];
                norms[lid] += norms[lid + width];
            }
        }
        barrier();
        if (lid == 0) scores[row] = cosine_of(dots[0], norms[0]);
        barrier();
    }
}
#endif
