#include "gpuhost/kernel_support.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gpuhost::sdk {

const char *kernel_name(std::uint32_t kernel) {
    switch (kernel) {
    case GPUHOST_KERNEL_SAXPY: return "saxpy";
    case GPUHOST_KERNEL_DOT: return "dot";
    case GPUHOST_KERNEL_SGEMM: return "sgemm";
    case GPUHOST_KERNEL_COSINE_TOPK: return "cosine_topk";
    case GPUHOST_KERNEL_COPY: return "copy";
    }
    return "";
}

std::uint32_t kernel_id(const std::string &name) {
    for (std::uint32_t id = GPUHOST_KERNEL_SAXPY; id <= GPUHOST_KERNEL_COPY; ++id)
        if (name == kernel_name(id)) return id;
    return 0;
}

std::string validate_kernel_args(const gpuhost_kernel_args &a) {
    std::string name = kernel_name(a.kernel);
    if (name.empty()) return "unknown kernel id " + std::to_string(a.kernel);
    auto need = [&](bool ok, const char *what) { return ok ? std::string() : name + ": " + what; };
    std::string why;
    switch (a.kernel) {
    case GPUHOST_KERNEL_SAXPY:
    case GPUHOST_KERNEL_COPY:
        if (!(why = need(a.n > 0, "empty input (n = 0)")).empty()) return why;
        return need(a.x && a.y, "x and y buffers are required");
    case GPUHOST_KERNEL_DOT:
        if (!(why = need(a.n > 0, "empty input (n = 0)")).empty()) return why;
        return need(a.x && a.y && a.c, "x, y and c (the result) buffers are required");
    case GPUHOST_KERNEL_SGEMM:
        if (!(why = need(a.m > 0 && a.n > 0 && a.k > 0, "empty input (m, n and k must be >= 1)")).empty())
            return why;
        return need(a.a && a.b && a.c, "a, b and c buffers are required");
    case GPUHOST_KERNEL_COSINE_TOPK:
        if (!(why = need(a.m > 0 && a.k > 0, "empty input (m rows and k columns must be >= 1)")).empty())
            return why;
        if (!(why = need(a.top_k > 0, "top_k must be >= 1")).empty()) return why;
        return need(a.a && a.x && a.c && a.indices, "a, x, c (scores) and indices buffers are required");
    }
    return "unknown kernel";
}

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

std::string compare_sgemm(const float *got, const float *want, const float *a, const float *b, std::uint64_t m,
                          std::uint64_t n, std::uint64_t k) {
    const double unit = 1.0 / (1 << 24), tolerance = 2 * unit * (16 + 4 * std::sqrt(double(k)));
    const std::uint64_t total = m * n, step = std::max<std::uint64_t>(1, total / 4096);
    for (std::uint64_t e = 0; e < total; e += step) {
        std::uint64_t i = e / n, j = e % n;
        double scale = 0;
        for (std::uint64_t l = 0; l < k; ++l) scale += std::abs(double(a[i * k + l]) * b[l * n + j]);
        double diff = std::abs(double(got[e]) - double(want[e]));
        if (!(diff <= tolerance * std::max(scale, 1e-30)))
            return "c[" + std::to_string(i) + "][" + std::to_string(j) + "]: " + std::to_string(got[e]) + " against " +
                   std::to_string(want[e]);
    }
    return "";
}

void set_implementation(gpuhost_kernel_args &args, const std::string &name) {
    std::size_t n = std::min(name.size(), sizeof args.implementation - 1);
    std::copy_n(name.data(), n, args.implementation);
    args.implementation[n] = 0;
}

void select_top_k(const float *scores, std::uint64_t m, std::uint32_t top_k, std::int64_t *indices,
                  float *top_scores) {
    std::uint64_t keep = std::min<std::uint64_t>(top_k, m);
    std::vector<std::int64_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    auto better = [&](std::int64_t a, std::int64_t b) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    };
    std::partial_sort(order.begin(), order.begin() + keep, order.end(), better);
    for (std::uint64_t i = 0; i < keep; ++i) {
        indices[i] = order[i];
        top_scores[i] = scores[order[i]];
    }
    for (std::uint64_t i = keep; i < top_k; ++i) {
        indices[i] = -1;
        top_scores[i] = std::numeric_limits<float>::quiet_NaN();
    }
}

}  // namespace gpuhost::sdk
