#!/usr/bin/env python3
"""Tiny wheels and a PEP 503 index for gpuhost's environment tests.

  wheel_index.py build ROOT NAME==VERSION ...   writes ROOT/wheels/*.whl and ROOT/simple/
  wheel_index.py serve ROOT PORT_FILE [--stall NAME]
      serves ROOT on 127.0.0.1 (a free port, written to PORT_FILE); a request for a
      wheel whose file name starts with NAME- touches ROOT/stalled and never answers,
      so a test can interrupt an installer at a known moment.
Each wheel holds NAME/__init__.py with __version__, and a dist-info with METADATA,
WHEEL and a RECORD whose hashes are right, so pip and uv install it like any other.
"""
import base64, hashlib, html, http.server, os, sys, threading, time, zipfile


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_wheel(folder, name, version, requires=(), extras=()):
    """A tiny py3-none-any wheel of NAME/__init__.py with __version__, METADATA (with
    Requires-Dist and Provides-Extra when given), WHEEL and a RECORD whose hashes
    and sizes are right, so pip and uv install it like any other; kept when it exists."""
    dist = name.replace("-", "_")
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Provides-Extra: {e}" for e in sorted(set(extras))]
    meta += [f"Requires-Dist: {r}" for r in requires]
    files = {
        f"{dist}/__init__.py": f"__version__ = {version!r}\n".encode(),
        f"{dist}-{version}.dist-info/METADATA": ("\n".join(meta) + "\n").encode(),
        f"{dist}-{version}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: gpuhost-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = f"{dist}-{version}.dist-info/RECORD"
    lines = [f"{path},{record_hash(data)},{len(data)}" for path, data in files.items()] + [f"{record},,"]
    files[record] = ("\n".join(lines) + "\n").encode()
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{dist}-{version}-py3-none-any.whl")
    if not os.path.exists(path):
        with zipfile.ZipFile(path, "w") as z:
            for p, data in files.items():
                z.writestr(p, data)
        # PEP 658: the METADATA beside the wheel, as PyPI serves it, so resolvers need not download the wheel.
        with open(path + ".metadata", "wb") as f:
            f.write(files[f"{dist}-{version}.dist-info/METADATA"])
    return path


def build_wheel(root, name, version):
    return write_wheel(os.path.join(root, "wheels"), name, version)


def root_w(root, wheel):
    return os.path.join(root, "wheels", wheel)


def metadata_attributes(wheel_path):
    """PEP 714 / PEP 658 attributes naming the .metadata file's hash (PyPI sends both)."""
    meta = wheel_path + ".metadata"
    if not os.path.exists(meta):
        return ""
    with open(meta, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return f' data-core-metadata="sha256={digest}" data-dist-info-metadata="sha256={digest}"'


def write_simple(root):
    projects = {}
    for f in sorted(os.listdir(os.path.join(root, "wheels"))):
        if not f.endswith(".whl"):
            continue
        name = f.split("-")[0].replace("_", "-").lower()
        projects.setdefault(name, []).append(f)
    os.makedirs(os.path.join(root, "simple"), exist_ok=True)
    with open(os.path.join(root, "simple", "index.html"), "w") as out:
        out.write("<!DOCTYPE html><html><body>\n")
        for name in projects:
            out.write(f'<a href="{name}/">{name}</a>\n')
        out.write("</body></html>\n")
    for name, wheels in projects.items():
        os.makedirs(os.path.join(root, "simple", name), exist_ok=True)
        with open(os.path.join(root, "simple", name, "index.html"), "w") as out:
            out.write("<!DOCTYPE html><html><body>\n")
            for w in wheels:
                with open(os.path.join(root, "wheels", w), "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
                out.write(f'<a href="../../wheels/{html.escape(w)}#sha256={digest}"{metadata_attributes(root_w(root, w))}>'
                          f'{html.escape(w)}</a>\n')
            out.write("</body></html>\n")


def serve(root, port_file, stall):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=root, **k)

        def do_GET(self):
            base = os.path.basename(self.path)
            if stall and base.startswith(stall.replace("-", "_") + "-") and base.endswith(".whl"):
                open(os.path.join(root, "stalled"), "w").close()
                time.sleep(3600)
                return
            return super().do_GET()

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "build":
        for spec in sys.argv[3:]:
            name, version = spec.split("==")
            build_wheel(sys.argv[2], name, version)
        write_simple(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "serve":
        stall = sys.argv[5] if len(sys.argv) >= 6 and sys.argv[4] == "--stall" else None
        serve(sys.argv[2], sys.argv[3], stall)
    else:
        sys.exit(__doc__)
