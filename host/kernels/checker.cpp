#include "checker.hpp"

#include "gpuhost/kernel_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <vector>

namespace json = boost::json;

namespace gpuhost::kernels {

namespace {

constexpr double kUnit = 1.0 / (1 << 24);  // float32 unit roundoff, 2^-24
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr float kPoison = std::numeric_limits<float>::quiet_NaN();

// Rounding error of a float32 reduction of `terms` products, relative to the
// sum of their magnitudes: a few roundings plus growth with sqrt(terms), the
// typical (not worst-case) growth of blocked and tree-shaped sums.
double reduction_tolerance(std::uint64_t terms) { return kUnit * (16 + 4 * std::sqrt(double(terms))); }

// |got - want| / scale, infinite when got is NaN (never written) or inf.
double rel_error(float got, double want, double scale) {
    if (!std::isfinite(got)) return kInf;
    double diff = std::abs(double(got) - want);
    return scale > 0 ? diff / scale : diff;
}

struct Worst {
    double error = 0;
    std::string where;
    // describe() runs only when this is the new worst, so a clean pass over
    // millions of elements builds no strings.
    template <class Describe>
    void see(double e, Describe &&describe) {
        if (e > error) {
            error = e;
            where = describe();
        }
    }
};

std::vector<float> random_floats(std::mt19937_64 &rng, std::uint64_t count) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (auto &f : v) f = dist(rng);
    return v;
}

}  // namespace

KernelRequest request_for(std::uint32_t kernel, std::uint64_t size, std::uint32_t repeats) {
    KernelRequest r;
    r.kernel = kernel;
    r.repeats = repeats;
    switch (kernel) {
    case GPUHOST_KERNEL_SGEMM: {
        std::uint64_t side = std::max<std::uint64_t>(1, std::uint64_t(std::sqrt(double(size)) / 8));
        r.m = r.n = r.k = side;
        break;
    }
    case GPUHOST_KERNEL_COSINE_TOPK:
        r.k = 384;
        r.m = std::max<std::uint64_t>(1, size / 384);
        r.top_k = 10;
        break;
    default: r.n = size;
    }
    return r;
}

double bytes_moved(const KernelRequest &r) {
    switch (r.kernel) {
    case GPUHOST_KERNEL_SAXPY: return 12.0 * r.n;
    case GPUHOST_KERNEL_DOT: return 8.0 * r.n;
    case GPUHOST_KERNEL_COPY: return 8.0 * r.n;
    case GPUHOST_KERNEL_SGEMM: return 4.0 * (r.m * r.k + r.k * r.n + r.m * r.n);
    case GPUHOST_KERNEL_COSINE_TOPK: return 4.0 * (r.m * r.k + r.k);
    }
    return 0;
}

double flops(const KernelRequest &r) {
    switch (r.kernel) {
    case GPUHOST_KERNEL_SAXPY: return 2.0 * r.n;
    case GPUHOST_KERNEL_DOT: return 2.0 * r.n;
    case GPUHOST_KERNEL_SGEMM: return 2.0 * r.m * r.n * r.k;
    case GPUHOST_KERNEL_COSINE_TOPK: return 4.0 * r.m * r.k;
    }
    return 0;
}

bool bandwidth_bound(std::uint32_t kernel) { return kernel != GPUHOST_KERNEL_SGEMM; }

json::object KernelCheck::to_json() const {
    json::object o{{"kernel", kernel}, {"plugin", plugin}, {"ran", ran}, {"passed", passed}};
    if (!error.empty()) o["error"] = error;
    if (!note.empty()) o["note"] = note;
    if (ran) {
        o["max_error"] = std::isfinite(max_error) ? json::value(max_error) : json::value("inf");
        o["tolerance"] = tolerance;
        o["seconds"] = seconds;
        o["device_timer"] = device_timer;
        if (seconds > 0 && bytes > 0) o["gb_per_s"] = bytes / seconds / 1e9;
        if (seconds > 0 && flops > 0) o["gflop_per_s"] = flops / seconds / 1e9;
        if (!implementation.empty()) o["implementation"] = implementation;
        if (driver_copy_seconds > 0) o["driver_copy_gb_per_s"] = bytes / driver_copy_seconds / 1e9;
        if (own_kernel_seconds > 0 && flops > 0) o["own_kernel_gflop_per_s"] = flops / own_kernel_seconds / 1e9;
    }
    return o;
}

KernelCheck run_and_check(const KernelRequest &req, const KernelCall &call) {
    KernelCheck check;
    check.kernel = sdk::kernel_name(req.kernel);
    check.bytes = bytes_moved(req);
    check.flops = flops(req);

    gpuhost_kernel_args args{};
    args.struct_size = sizeof(args);
    args.kernel = req.kernel;
    args.m = req.m;
    args.n = req.n;
    args.k = req.k;
    args.top_k = req.top_k;
    args.repeats = req.repeats ? req.repeats : 1;

    // Reject before allocating or calling anything.
    {
        float dummy = 0;
        std::int64_t index = 0;
        gpuhost_kernel_args probe = args;
        probe.a = probe.b = probe.x = &dummy;
        probe.y = probe.c = &dummy;
        probe.indices = &index;
        if (auto why = sdk::validate_kernel_args(probe); !why.empty()) {
            check.error = "rejected: " + why;
            return check;
        }
    }

    std::mt19937_64 rng(std::random_device{}());
    std::vector<float> a, b, x, y, y_before, c;
    std::vector<std::int64_t> indices;
    switch (req.kernel) {
    case GPUHOST_KERNEL_SAXPY:
        x = random_floats(rng, req.n);
        y = random_floats(rng, req.n);
        y_before = y;  // y is in/out, so its input is the "poison" here
        args.alpha = std::uniform_real_distribution<float>(0.5f, 2.0f)(rng);
        break;
    case GPUHOST_KERNEL_COPY:
        x = random_floats(rng, req.n);
        y.assign(req.n, kPoison);
        break;
    case GPUHOST_KERNEL_DOT:
        x = random_floats(rng, req.n);
        y = random_floats(rng, req.n);
        c.assign(1, kPoison);
        break;
    case GPUHOST_KERNEL_SGEMM:
        a = random_floats(rng, req.m * req.k);
        b = random_floats(rng, req.k * req.n);
        c.assign(req.m * req.n, kPoison);
        break;
    case GPUHOST_KERNEL_COSINE_TOPK:
        a = random_floats(rng, req.m * req.k);
        x = random_floats(rng, req.k);
        c.assign(req.top_k, kPoison);
        indices.assign(req.top_k, -2);
        break;
    }
    args.a = a.data();
    args.b = b.data();
    args.x = x.data();
    args.y = y.data();
    args.c = c.data();
    args.indices = indices.data();

    PluginReply reply = call(args);
    check.note = reply.text;
    if (!reply.ok()) {
        check.error = std::string(status_name(reply.status)) + ": " + reply.text;
        return check;
    }
    check.ran = true;
    check.seconds = args.seconds;
    check.device_timer = args.device_timer != 0;
    check.implementation = std::string(args.implementation, strnlen(args.implementation, sizeof args.implementation));
    check.driver_copy_seconds = args.driver_copy_seconds;
    check.own_kernel_seconds = args.own_kernel_seconds;

    Worst worst;
    switch (req.kernel) {
    case GPUHOST_KERNEL_SAXPY:
        check.tolerance = 4 * kUnit;
        for (std::uint64_t i = 0; i < req.n; ++i) {
            double term = double(args.alpha) * x[i];
            worst.see(rel_error(y[i], term + y_before[i], std::abs(term) + std::abs(double(y_before[i]))), [&] { return std::string("y[" + std::to_string(i) + "]"); });
        }
        break;
    case GPUHOST_KERNEL_COPY:
        check.tolerance = 0;  // a copy is exact
        for (std::uint64_t i = 0; i < req.n; ++i)
            worst.see(rel_error(y[i], x[i], std::abs(double(x[i]))), [&] { return std::string("y[" + std::to_string(i) + "]"); });
        break;
    case GPUHOST_KERNEL_DOT: {
        check.tolerance = reduction_tolerance(req.n);
        double sum = 0, scale = 0;
        for (std::uint64_t i = 0; i < req.n; ++i) {
            sum += double(x[i]) * y[i];
            scale += std::abs(double(x[i]) * y[i]);
        }
        worst.see(rel_error(c[0], sum, scale), [&] { return std::string("result"); });
        break;
    }
    case GPUHOST_KERNEL_SGEMM: {
        check.tolerance = reduction_tolerance(req.k);
        std::vector<double> sum(req.n), scale(req.n);
        for (std::uint64_t i = 0; i < req.m; ++i) {
            std::fill(sum.begin(), sum.end(), 0.0);
            std::fill(scale.begin(), scale.end(), 0.0);
            for (std::uint64_t l = 0; l < req.k; ++l) {
                double av = a[i * req.k + l];
                const float *brow = &b[l * req.n];
                for (std::uint64_t j = 0; j < req.n; ++j) {
                    sum[j] += av * brow[j];
                    scale[j] += std::abs(av * brow[j]);
                }
            }
            for (std::uint64_t j = 0; j < req.n; ++j)
                worst.see(rel_error(c[i * req.n + j], sum[j], scale[j]), [&] { return std::string("c[" + std::to_string(i) + "][" + std::to_string(j) + "]"); });
        }
        break;
    }
    case GPUHOST_KERNEL_COSINE_TOPK: {
        // Cosines are at most 1 in magnitude: errors are absolute, on that scale.
        check.tolerance = reduction_tolerance(req.k);
        std::vector<double> cosine(req.m);
        double qq = 0;
        for (std::uint64_t l = 0; l < req.k; ++l) qq += double(x[l]) * x[l];
        for (std::uint64_t r = 0; r < req.m; ++r) {
            double d = 0, aa = 0;
            for (std::uint64_t l = 0; l < req.k; ++l) {
                double v = a[r * req.k + l];
                d += v * x[l];
                aa += v * v;
            }
            cosine[r] = sdk::cosine_from(d, aa, qq);
        }
        std::uint64_t keep = std::min<std::uint64_t>(req.top_k, req.m);
        std::vector<double> sorted = cosine;
        std::nth_element(sorted.begin(), sorted.begin() + (keep - 1), sorted.end(), std::greater<double>());
        double kth_best = sorted[keep - 1];
        std::set<std::int64_t> seen;
        for (std::uint64_t i = 0; i < req.top_k; ++i) {
            std::string where = "rank " + std::to_string(i);
            std::int64_t row = indices[i];
            if (i >= keep) {  // past the row count: must be marked empty
                worst.see(row == -1 ? 0 : kInf, [&] { return std::string(where + " (past the " + std::to_string(req.m) + " rows)"); });
                continue;
            }
            if (row < 0 || std::uint64_t(row) >= req.m || !seen.insert(row).second) {
                worst.see(kInf, [&] { return std::string(where + ": bad or repeated row " + std::to_string(row)); });
                continue;
            }
            worst.see(rel_error(c[i], cosine[row], 1.0), [&] { return std::string(where + " score of row " + std::to_string(row)); });
            // A row that is not among the true top k (beyond rounding) is wrong.
            worst.see(std::max(0.0, kth_best - cosine[row]), [&] { return std::string(where + ": row " + std::to_string(row) +
                                                                 " is not among the best " + std::to_string(keep)); });
            if (i > 0 && std::isfinite(c[i]) && std::isfinite(c[i - 1]))
                worst.see(std::max(0.0, double(c[i]) - c[i - 1]), [&] { return std::string(where + ": not sorted best first"); });
        }
        break;
    }
    }
    check.max_error = worst.error;
    check.passed = worst.error <= check.tolerance;
    if (!check.passed) {
        std::ostringstream s;
        s << "wrong result: relative error " << worst.error << " at " << worst.where << " exceeds the float32 tolerance "
          << check.tolerance;
        if (std::isinf(worst.error)) s << " (NaN or missing: an element was never written)";
        check.error = s.str();
    }
    return check;
}

}  // namespace gpuhost::kernels
