"""The ``Allow`` header of a 405 and of an automatic ``OPTIONS`` answer lists
the methods in one order, sorted, in every process. (Flask's comes from a set:
its order changes with ``PYTHONHASHSEED``.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """\
import json
import kolben

app = kolben.Kolben(__name__)
methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "PROPFIND"]
app.add_url_rule("/thing", "thing", lambda: "ok", methods=methods)
app.add_url_rule("/read", "read", lambda: "ok")
client = app.test_client()
print(json.dumps({
    "405": client.open("/thing", method="TRACE").headers["Allow"],
    "OPTIONS": client.options("/thing").headers["Allow"],
    "read 405": client.post("/read").headers["Allow"],
    "adapter": list(app.url_map.bind("x").allowed_methods("/thing")),
}))
"""


def _allow(seed: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_allow_is_sorted_in_every_process() -> None:
    answers = [_allow(seed) for seed in (0, 1, 2, 3, 4, 5)]
    first = answers[0]
    assert all(answer == first for answer in answers)
    everything = [
        "DELETE",
        "GET",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "POST",
        "PROPFIND",
        "PUT",
    ]
    assert first == {
        "405": ", ".join(everything),
        "OPTIONS": ", ".join(everything),
        "read 405": "GET, HEAD, OPTIONS",
        "adapter": everything,
    }
