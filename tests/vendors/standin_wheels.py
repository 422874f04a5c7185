#!/usr/bin/env python3
"""Wheels named like the real ones, for every requirement of a plan.

  standin_wheels.py PLAN.json STANDIN_DIR ROOT

Each `name==version` requirement of the plan becomes ROOT/wheels/<name>-<version>-py3-none-any.whl.
A folder STANDIN_DIR/<name>/ supplies the package's files (a pure-Python
stand-in the smoke test can call); other packages get tests/env/wheel_index.py's
one-line module. Requirements without an exact pin get version 1.0.
"""
import json, os, re, sys, zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "env"))
import wheel_index  # noqa: E402


def build_from(folder, out, name, version):
    dist = name.replace("-", "_")
    files = {}
    for root, _, names in os.walk(folder):
        for n in names:
            if n.endswith(".pyc"):
                continue
            path = os.path.join(root, n)
            arc = os.path.join(dist, os.path.relpath(path, folder)).replace(os.sep, "/")
            with open(path, "rb") as fh:
                files[arc] = fh.read()
    init = dist + "/__init__.py"
    files[init] = files.get(init, b"") + f"\n__version__ = {version!r}\n".encode()
    info = f"{dist}-{version}.dist-info"
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: gpuhost-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = f"{info}/RECORD"
    lines = [f"{p},{wheel_index.record_hash(d)},{len(d)}" for p, d in files.items()] + [f"{record},,"]
    files[record] = ("\n".join(lines) + "\n").encode()
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(os.path.join(out, f"{dist}-{version}-py3-none-any.whl"), "w") as z:
        for p, d in files.items():
            z.writestr(p, d)


def main():
    plan = json.load(open(sys.argv[1]))
    standin, root = sys.argv[2], os.path.abspath(sys.argv[3])
    out = os.path.join(root, "wheels")
    for req in plan["packages"]:
        m = re.match(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?\s*(?:==\s*([A-Za-z0-9.+!-]+))?", req)
        name, version = m.group(1), m.group(2) or "1.0"
        folder = os.path.join(standin, name)
        if os.path.isdir(folder):
            build_from(folder, out, name, version)
        else:
            wheel_index.build_wheel(root, name, version)


if __name__ == "__main__":
    main()
