#version 450
// y = alpha * x + y_in, out of place so repeats do not compound; grid-stride
// because a dispatch holds at most 65535 groups per dimension.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer YIn { float y_in[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Params { uint n; float alpha; } p;

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint i = gl_GlobalInvocationID.x; i < p.n; i += stride) y[i] = p.alpha * x[i] + y_in[i];
}
