// The work-group sum of one float per invocation, valid in invocation 0:
// subgroupAdd and one shared slot per subgroup when SUBGROUP is 1 (the device
// has subgroup arithmetic in compute shaders), else a tree in shared memory.
// WG is the work-group size, a power of two.
#if SUBGROUP
#extension GL_KHR_shader_subgroup_arithmetic : require
shared float sums[WG];
float group_sum(float v) {
    v = subgroupAdd(v);
    if (subgroupElect()) sums[gl_SubgroupID] = v;
    barrier();
    float total = 0.0;
    if (gl_LocalInvocationIndex == 0)
        for (uint s = 0; s < gl_NumSubgroups; ++s) total += sums[s];
    return total;
}
#else
shared float sums[WG];
float group_sum(float v) {
    uint lid = gl_LocalInvocationIndex;
    sums[lid] = v;
    for (uint width = WG / 2; width > 0; width /= 2) {
        barrier();
        if (lid < width) sums[lid] += sums[lid + width];
    }
    barrier();
    return sums[0];
}
#endif
