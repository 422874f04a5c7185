#!/usr/bin/env python3
"""Copies a vendor folder, renaming its vendor and backend by text substitution.

  copy_vendor.py SRC DST [OLD_VENDOR NEW_VENDOR OLD_BACKEND NEW_BACKEND]

Every file's text and every file or folder name has OLD_VENDOR replaced by
NEW_VENDOR and OLD_BACKEND by NEW_BACKEND (lower-case, as written). Without
the names it is a plain copy. The build folder, if any, is left out.
"""
import os, shutil, sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    subs = []
    if len(sys.argv) == 7:
        subs = [(sys.argv[3], sys.argv[4]), (sys.argv[5], sys.argv[6])]

    def sub(text):
        for old, new in subs:
            text = text.replace(old, new)
        return text

    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if d not in ("build", "__pycache__")]
        rel = os.path.relpath(root, src)
        out_dir = os.path.join(dst, sub(rel)) if rel != "." else dst
        os.makedirs(out_dir, exist_ok=True)
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                data = fh.read()
            try:
                data = sub(data.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                pass
            with open(os.path.join(out_dir, sub(f)), "wb") as fh:
                fh.write(data)
            shutil.copymode(os.path.join(root, f), os.path.join(out_dir, sub(f)))


if __name__ == "__main__":
    main()
