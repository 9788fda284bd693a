"""A PEP 517 build backend in the standard library only, for this pure-Python package.

Why not setuptools: the setuptools that Python 3.11's venv ships (65.5) builds a wheel only with the
separate `wheel` package, which a venv does not have; with no package index reachable,
`pip install ./clients/python` then fails. This backend needs nothing: a wheel is a zip of the
package, its metadata and a RECORD of hashes (PEP 427), built here with zipfile and hashlib.
"""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "proxima_client"
DIST = "proxima-client"
VERSION = "0.1.0"
SUMMARY = "Python client and trainer adapters for the Proxima curriculum server (standard library only)"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = "py3-none-any"


def _metadata() -> str:
    return (f"Metadata-Version: 2.1\nName: {DIST}\nVersion: {VERSION}\nSummary: {SUMMARY}\n"
            f"Requires-Python: >=3.9\nLicense: Apache-2.0\n")


def _package_files():
    base = os.path.join(ROOT, NAME)
    for d, dirs, files in os.walk(base):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        for f in sorted(files):
            if f.endswith(".py"):
                full = os.path.join(d, f)
                yield full, os.path.relpath(full, ROOT).replace(os.sep, "/")


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"{NAME}-{VERSION}-{TAG}.whl"
    info = f"{NAME}-{VERSION}.dist-info"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        def add(arcname: str, data: bytes) -> None:
            z.writestr(arcname, data)
            record.append(f"{arcname},{_digest(data)},{len(data)}")
        for full, arc in _package_files():
            with open(full, "rb") as f:
                add(arc, f.read())
        add(f"{info}/METADATA", _metadata().encode())
        add(f"{info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: proxima_build\nRoot-Is-Purelib: true\nTag: {TAG}\n".encode())
        add(f"{info}/top_level.txt", f"{NAME}\n".encode())
        record.append(f"{info}/RECORD,,")
        z.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return name


def build_sdist(sdist_directory, config_settings=None):
    base = f"{NAME}-{VERSION}"
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        files = [(full, arc) for full, arc in _package_files()]
        files += [(os.path.join(ROOT, "pyproject.toml"), "pyproject.toml"),
                  (os.path.join(ROOT, "_build", "proxima_build.py"), "_build/proxima_build.py")]
        for full, arc in files:
            t.add(full, arcname=f"{base}/{arc}")
        pkg = _metadata().encode()
        ti = tarfile.TarInfo(f"{base}/PKG-INFO")
        ti.size = len(pkg)
        t.addfile(ti, io.BytesIO(pkg))
    return name
