"""Starts a real Proxima server process (the packaged cli jar) for the tests."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[3]
JAR = Path(os.environ.get("PROXIMA_JAR", ROOT / "cli" / "target" / "proxima.jar"))


class ServerProcess:
    """`java -jar proxima.jar serve` on a free port; restartable on the same data dir."""

    def __init__(self, data_dir: Path, *extra: str):
        self.data_dir = data_dir
        self.extra = list(extra)
        self.proc = None
        self.url = None
        self.token = None
        self.start()

    def start(self):
        if not JAR.exists():
            pytest.fail(f"{JAR} is missing: build it first (./mvnw -q -DskipTests package -pl cli -am)")
        cmd = ["java", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", str(JAR), "serve",
               "--data-dir", str(self.data_dir), "--port", "0", *self.extra]
        env = dict(os.environ)
        env.pop("PROXIMA_TOKEN", None)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        deadline = time.time() + 60
        lines = []
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"serving (http://127\.0\.0\.1:\d+)", line)
            if m:
                self.url = m.group(1)
                return
        self.kill()
        pytest.fail("the server did not start:\n" + "".join(lines))

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)

    def restart(self):
        self.kill()
        self.start()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = ServerProcess(tmp_path_factory.mktemp("proxima-data"))
    yield s
    s.kill(signal.SIGTERM)


@pytest.fixture
def fresh_server(tmp_path):
    s = ServerProcess(tmp_path / "data")
    yield s
    s.kill()
