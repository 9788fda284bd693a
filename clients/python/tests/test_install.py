"""`pip install ./clients/python` works offline: no package index, no setuptools, no wheel package."""
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]


def test_pip_installs_the_package_into_a_fresh_venv_without_an_index(tmp_path):
    env = tmp_path / "venv"
    try:
        venv.create(env, with_pip=True)
    except Exception as e:  # noqa: BLE001  a Python built without ensurepip cannot make the venv at all
        pytest.skip(f"cannot create a venv with pip here: {e}")
    py = env / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # Maven puts the checkout on it
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check", str(HERE)],
                       capture_output=True, text=True, cwd=tmp_path, timeout=300, env=clean)
    assert r.returncode == 0, r.stdout + r.stderr
    probe = ("import proxima_client, proxima_client.verl, proxima_client.trl, proxima_client.openrlhf, "
             "proxima_client.gymnasium, proxima_client.metrics; print(proxima_client.__file__)")
    r = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60, env=clean)
    assert r.returncode == 0, r.stderr
    assert str(env) in r.stdout  # the installed copy, not this checkout
