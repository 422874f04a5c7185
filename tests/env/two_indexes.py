#!/usr/bin/env python3
"""Two package indexes shaped like the real ones, for gpuhost's index-routing tests.

  two_indexes.py serve ROOT PORT_FILE
      serves ROOT on 127.0.0.1 (a free port written to PORT_FILE); files are read
      at request time, so the indexes may be filled after the server started.
  two_indexes.py fill ROOT PLAN.json ...
      fills ROOT/pypi/simple/ (a PEP 503 index like pypi.org/simple) and
      ROOT/pytorch/whl/<tag>/ (like download.pytorch.org/whl/<tag>/) with tiny wheels
      for what the plans ask for.

The shape follows the real indexes as PyTorch's install instructions and wheel names
show them (download.pytorch.org is not reachable from the machine these tests were
written on, so its folders were not fetched): the PyTorch index's <tag>/ folder serves torch, torchvision,
torchaudio with the local label +<tag> (torch-2.9.0+cu126-...whl) and the Triton
builds torch pins (pytorch-triton-rocm, pytorch-triton-xpu exist only there); it does
not serve transformers, datasets, accelerate or the other PyPI projects. PyPI serves
torch too, without a label, and "triton" but not the ROCm/XPU Triton builds.
To catch dependency confusion, "PyPI" here also serves higher-versioned torch,
torchvision, torchaudio and pytorch-triton-rocm/-xpu wheels (99.0): an installer that
asks PyPI for them installs the decoy, which the tests look for.

Each fake torch requires filelock and typing-extensions (PyPI only, like the real
torch's dependencies) and the Triton build of its tag (from the tag's folder).
"""
import hashlib, html, http.server, json, os, sys, urllib.parse

from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.specifiers import SpecifierSet
from pip._vendor.packaging.version import Version

from wheel_index import write_wheel  # the same tiny wheels, beside this script

TRITON = {"rocm": "pytorch-triton-rocm", "xpu": "pytorch-triton-xpu", "cu": "triton"}
TRITON_VERSION = "3.5.0"
DECOYS = ["torch", "torchvision", "torchaudio", "pytorch-triton-rocm", "pytorch-triton-xpu"]


def norm(name):
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def build_wheel(folder, name, version, requires=(), extras=()):
    return write_wheel(folder, norm(name), version, requires, extras)


def write_pages(folder, wheel_dir, href_prefix):
    """PEP 503 pages: folder/index.html and folder/<project>/index.html."""
    projects = {}
    for f in sorted(os.listdir(wheel_dir)):
        if f.endswith(".whl"):
            projects.setdefault(norm(f.split("-")[0]), []).append(f)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "index.html"), "w") as out:
        out.write("<!DOCTYPE html><html><body>\n")
        for p in projects:
            out.write(f'<a href="{p}/">{p}</a>\n')
        out.write("</body></html>\n")
    for p, wheels in projects.items():
        os.makedirs(os.path.join(folder, p), exist_ok=True)
        with open(os.path.join(folder, p, "index.html"), "w") as out:
            out.write("<!DOCTYPE html><html><body>\n")
            for w in wheels:
                with open(os.path.join(wheel_dir, w), "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
                href = href_prefix + urllib.parse.quote(w)
                with open(os.path.join(wheel_dir, w + ".metadata"), "rb") as f:
                    meta = hashlib.sha256(f.read()).hexdigest()
                out.write(f'<a href="{html.escape(href)}#sha256={digest}" data-core-metadata="sha256={meta}" '
                          f'data-dist-info-metadata="sha256={meta}">{html.escape(w)}</a>\n')
            out.write("</body></html>\n")


def version_for(spec_set):
    """A version the specifiers accept, preferring the ones they name."""
    named = []
    for s in spec_set:
        v = Version(s.version.replace(".*", ""))
        named += [str(v), f"{v.major}.{v.minor}.{v.micro + 1}", f"{v.major}.{v.minor + 1}.0", f"{v.major + 1}.0.0",
                  f"{max(v.major - 1, 0)}.9.0"]
    for candidate in named + ["1.0.0", "2.0.0", "0.1.0"]:
        if spec_set.contains(candidate, prereleases=False):
            return candidate
    raise SystemExit(f"no version fits {spec_set}")


def tag_kind(tag):
    for prefix in ("rocm", "xpu", "cu"):
        if tag.startswith(prefix):
            return prefix
    return None


def fill(root, plans):
    pypi_wheels = os.path.join(root, "pypi", "files")
    torch_tags = set()
    for plan_file in plans:
        with open(plan_file) as f:
            plan = json.load(f)
        plan = plan.get("plan", plan)
        served = set(plan.get("index_packages") or [])
        index = plan.get("index_url") or ""
        tag = index.rstrip("/").rsplit("/", 1)[-1] if "/whl/" in index else None
        label = plan.get("index_label") or ""
        for spec in plan["packages"]:
            req = Requirement(spec)
            name = norm(req.name)
            version = version_for(req.specifier)
            if name in served and tag:
                torch_tags.add(tag)
                folder = os.path.join(root, "pytorch", "whl", tag)
                local = f"{version}+{label}" if label and name in ("torch", "torchvision", "torchaudio") else version
                requires = []
                if name == "torch":
                    requires = ["filelock", "typing-extensions>=4.0"]
                    kind = tag_kind(tag)
                    if kind:
                        requires.append(f'{TRITON[kind]}=={TRITON_VERSION}; platform_system == "Linux"')
                        build_wheel(folder, TRITON[kind], TRITON_VERSION)
                build_wheel(folder, req.name, local, requires)
                # PyPI has the same version without a label (another build), like the real one.
                build_wheel(pypi_wheels, req.name, version, requires[:2])
            else:
                build_wheel(pypi_wheels, req.name, version, extras=req.extras)
    for dep in ("filelock==3.20.0", "typing-extensions==4.15.0", "triton==3.5.0"):
        n, v = dep.split("==")
        build_wheel(pypi_wheels, n, v)
    for name in DECOYS:
        build_wheel(pypi_wheels, name, "99.0")
    write_pages(os.path.join(root, "pypi", "simple"), pypi_wheels, "../../files/")
    for tag in torch_tags:
        folder = os.path.join(root, "pytorch", "whl", tag)
        write_pages(folder, folder, "../")


def serve(root, port_file):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=root, **k)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "fill":
        fill(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
