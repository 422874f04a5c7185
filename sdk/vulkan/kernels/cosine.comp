#version 450
// One work-group per row (grid-strided over rows): the row's dot with the
// query and its squared norm in one read, then the cosine (0 for a zero
// vector). Top-k selection follows on the host over the m scores.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer Q { float q[]; };
layout(std430, binding = 2) writeonly buffer Scores { float scores[]; };
layout(push_constant) uniform Params { uint m; uint k; float q_norm2; } p;
shared float dots[64];
shared float norms[64];

void main() {
    uint lid = gl_LocalInvocationID.x;
    for (uint row = gl_WorkGroupID.x; row < p.m; row += gl_NumWorkGroups.x) {
        float d = 0.0, n2 = 0.0;
        uint base = row * p.k;
        for (uint i = lid; i < p.k; i += 64) {
            float v = a[base + i];
            d += v * q[i];
            n2 += v * v;
        }
        dots[lid] = d;
        norms[lid] = n2;
        barrier();
        for (uint width = 32; width > 0; width /= 2) {
            if (lid < width) {
                dots[lid] += dots[lid + width];
                norms[lid] += norms[lid + width];
            }
            barrier();
        }
        if (lid == 0) scores[row] = (norms[0] > 0.0 && p.q_norm2 > 0.0) ? dots[0] / sqrt(norms[0] * p.q_norm2) : 0.0;
        barrier();
    }
}
