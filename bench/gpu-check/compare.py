# Prints gpuhost's kernels next to PyTorch's on the same GPU, and each figure
# against the targets of issue 14. Reads what gpu-check.sh wrote:
#   compare.py bench_cuda.json bench_neutral.json peer.json
# Any file may be missing or empty ({}); what it would give is then reported as not measured.
import json, sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


cuda, neutral, peer_doc = (load(p) for p in (sys.argv[1:4] + [""] * 3)[:3])
peer = peer_doc.get("peer", {})
rows = []  # (what, figure, reference, ratio, target, verdict)


def add(what, figure, reference, ratio, target, higher_is_better=True):
    if ratio is None:
        rows.append((what, figure, reference, "-", target or "", "not measured"))
        return
    verdict = ""
    if target is not None:
        ok = ratio >= target if higher_is_better else ratio <= target
        verdict = "meets" if ok else "MISSES"
    rows.append((what, figure, reference, f"{ratio:.2f}", f"{'>=' if higher_is_better else '<='} {target}" if target else "", verdict))


def results(doc, plugin=None):
    out = {}
    for r in doc.get("results", []):
        if plugin and r.get("plugin") != plugin:
            continue
        out.setdefault(r.get("device", "?"), {})[r["kernel"]] = r
    return out


N = cuda.get("size") or neutral.get("size") or peer_doc.get("N")
# CUDA against PyTorch
for device, ks in results(cuda).items():
    for k, pk in (("copy", "copy"), ("saxpy", "saxpy"), ("dot", "dot")):
        r, p = ks.get(k, {}), peer.get(pk, {})
        g, t = r.get("gb_per_s"), p.get("GBps")
        add(f"{device} {k} / PyTorch", f"{g:.0f} GB/s" if g else "-", f"{t:.0f} GB/s" if t else "-",
            g / t if g and t else None, 0.90)
    r = ks.get("sgemm", {})
    side = int((N ** 0.5) / 8) if N else None
    p = peer.get(f"sgemm_{side}", {})
    g, t = r.get("gflop_per_s"), p.get("GFLOPs")
    add(f"{device} sgemm {side} by {r.get('implementation', '?')} / PyTorch (cuBLAS)", f"{g/1e3:.2f} TFLOP/s" if g else "-",
        f"{t/1e3:.2f} TFLOP/s" if t else "-", g / t if g and t else None, 0.90)
    own = r.get("own_kernel_gflop_per_s")
    add(f"{device} sgemm own kernel / the library it ran beside", f"{own/1e3:.2f} TFLOP/s" if own else "-",
        f"{g/1e3:.2f} TFLOP/s" if g else "-", own / g if own and g else None, None)
    r, p = ks.get("cosine_topk", {}), peer.get("copy", {})
    s = r.get("seconds")
    rows_ = (N // 384) if N else 0
    one_read = 4 * rows_ * 384 / (p["GBps"] * 1e9) if p.get("GBps") else (
        4 * rows_ * 384 / (ks.get("copy", {}).get("ceiling_gb_per_s", 0) * 1e9) if ks.get("copy", {}).get("ceiling_gb_per_s") else None)
    add(f"{device} cosine_topk: reads of the matrix", f"{s*1e3:.3f} ms" if s else "-",
        f"{one_read*1e3:.3f} ms per read" if one_read else "-", s / one_read if s and one_read else None, 1.3, False)
    pc = peer.get("cosine_topk", {}).get("s")
    add(f"{device} cosine_topk / PyTorch (norms computed)", f"{s*1e3:.3f} ms" if s else "-", f"{pc*1e3:.3f} ms" if pc else "-",
        pc / s if s and pc else None, None)
    for k in ("copy", "saxpy", "dot", "cosine_topk"):
        f = ks.get(k, {}).get("fraction_of_ceiling")
        add(f"{device} {k} of its ceiling ({ks.get('copy', {}).get('ceiling_by', '?')})", "", "", f, None)

# Vendor-neutral kernels on the same GPU: dot and cosine_topk against each device's own ceiling
for device, ks in results(neutral).items():
    ceiling = ks.get("copy", {}).get("ceiling_gb_per_s")
    for k in ("dot", "cosine_topk"):
        r = ks.get(k, {})
        g = r.get("gb_per_s")
        add(f"{device} ({r.get('plugin', '?')}) {k} / its copy ceiling", f"{g:.0f} GB/s" if g else "-",
            f"{ceiling:.0f} GB/s" if ceiling else "-", g / ceiling if g and ceiling else None, 0.70)
    r = ks.get("sgemm", {})
    if r.get("gflop_per_s"):
        add(f"{device} ({r.get('plugin', '?')}) sgemm by {r.get('implementation', '?')}", f"{r['gflop_per_s']:.0f} GFLOP/s", "", None, None)

w = [max(len(str(r[i])) for r in rows + [("what", "gpuhost", "reference", "ratio", "target", "")]) for i in range(6)]
print("  ".join(h.ljust(w[i]) for i, h in enumerate(("what", "gpuhost", "reference", "ratio", "target", ""))))
for r in rows:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)))
print(f"(size {N}; PyTorch {peer_doc.get('torch', 'not run')} on {peer_doc.get('gpu', '-')})")
