#!/usr/bin/env python3
"""Builds the Python client's wheel with the standard library only (no network, no setuptools).

    python3 scripts/build-wheel.py src/clients/python out/python

A wheel is a zip file laid out as PEP 427 says: the package (lute_task/__init__.py, the client's one file, and
lute_task/py.typed, which tells type checkers it has type hints) and lute_task-VERSION.dist-info/ with METADATA,
WHEEL and RECORD (every file's SHA-256 and size). The version is LuteVersion from Directory.Build.props.
"""

import base64
import hashlib
import pathlib
import re
import sys
import zipfile

NAME = "lute_task"
# Files in a wheel get one fixed time, so that the same sources give the same bytes.
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def version(repo: pathlib.Path) -> str:
    props = (repo / "Directory.Build.props").read_text(encoding="utf-8")
    match = re.search(r"<LuteVersion>([^<]+)</LuteVersion>", props)
    if match is None:
        sys.exit("build-wheel: no LuteVersion in Directory.Build.props")
    return match.group(1).strip()


def record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{path},sha256={digest},{len(data)}"


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: build-wheel.py CLIENT_DIR OUT_DIR")
    source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    repo = pathlib.Path(__file__).resolve().parent.parent
    ver = version(repo)
    info = f"{NAME}-{ver}.dist-info"
    module = (source / f"{NAME}.py").read_bytes()
    summary = "The task side of the Lute task protocol: report a task's progress and result to the lute runner."
    files = {
        f"{NAME}/__init__.py": module,
        f"{NAME}/py.typed": b"",
        f"{info}/METADATA": (
            "Metadata-Version: 2.1\n"
            f"Name: {NAME}\n"
            f"Version: {ver}\n"
            f"Summary: {summary}\n"
            "License: MIT\n"
            "Requires-Python: >=3.8\n"
            "Classifier: Typing :: Typed\n"
            "Classifier: Operating System :: POSIX :: Linux\n"
        ).encode("utf-8"),
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\n"
            "Generator: lute build-wheel.py\n"
            "Root-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ).encode("utf-8"),
        f"{info}/top_level.txt": f"{NAME}\n".encode("utf-8"),
    }
    record = "\n".join([record_line(p, d) for p, d in files.items()] + [f"{info}/RECORD,,", ""])
    files[f"{info}/RECORD"] = record.encode("utf-8")

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{NAME}-*.whl"):
        old.unlink()
    wheel = out / f"{NAME}-{ver}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            entry = zipfile.ZipInfo(path, FIXED_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    print(wheel)


if __name__ == "__main__":
    main()
