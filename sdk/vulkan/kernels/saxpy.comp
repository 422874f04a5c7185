#version 450
// y = alpha * x + y_in, out of place so repeats do not compound; 16-byte
// accesses in a grid-stride loop (a dispatch holds at most 65535 groups per
// dimension); the n % 4 last floats one by one.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { vec4 x[]; };
layout(std430, binding = 1) readonly buffer YIn { vec4 y_in[]; };
layout(std430, binding = 2) writeonly buffer Y { vec4 y[]; };
layout(push_constant) uniform Params { uint n; float alpha; } p;

void main() {
    uint quads = p.n / 4, stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x, t = gl_GlobalInvocationID.x;
    for (uint i = t; i < quads; i += stride) y[i] = p.alpha * x[i] + y_in[i];
    if (t < p.n % 4) y[quads][t] = p.alpha * x[quads][t] + y_in[quads][t];
}
