#version 450
// C = A * B, row-major, 16 x 16 tiles staged in shared memory.
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer C { float c[]; };
layout(push_constant) uniform Params { uint m; uint n; uint k; } p;
shared float As[16][16];
shared float Bs[16][16];

void main() {
    uint col = gl_GlobalInvocationID.x, row = gl_GlobalInvocationID.y;
    uint lc = gl_LocalInvocationID.x, lr = gl_LocalInvocationID.y;
    float acc = 0.0;
    for (uint t = 0; t < p.k; t += 16) {
        As[lr][lc] = (row < p.m && t + lc < p.k) ? a[row * p.k + t + lc] : 0.0;
        Bs[lr][lc] = (col < p.n && t + lr < p.k) ? b[(t + lr) * p.n + col] : 0.0;
        barrier();
        for (uint l = 0; l < 16; ++l) acc += As[lr][l] * Bs[l][lc];
        barrier();
    }
    if (row < p.m && col < p.n) c[row * p.n + col] = acc;
}
