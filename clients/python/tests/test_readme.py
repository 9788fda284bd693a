"""The README's Python quickstart, as written there, runs against a server (after the curl lines' setup)."""
import re
from pathlib import Path

from proxima_client import Client

README = Path(__file__).resolve().parents[3] / "README.md"


def test_readme_python_block_runs_as_written(server):
    text = README.read_text()
    assert "pip install ./clients/python" in text
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    c = Client(server.url)
    # what the README's curl lines do first
    c.create("run-1", {"recipe": "sec", "seed": 7, "rollouts": 8}, tasks=[{"id": "gsm8k/1", "group": "gsm8k"}, {"id": "math/1", "group": "math"}])
    scope = {}
    exec(compile(block.replace("http://127.0.0.1:7300", server.url), "README.md", "exec"), scope)
    assert scope["batch"]["tasks"] and c.stats("run-1")["reports"] == 2
