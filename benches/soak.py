"""A soak: the 1,000-rule kolben app under steady load for minutes, under
granian and under gunicorn; does a worker's memory or file-descriptor count
creep?

Usage, from the repository root::

    python benches/soak.py [--seconds 300] [--warmup 30] [--server granian-1 ...]

Needs ``wrk`` (``apt-get install wrk``). Each server runs on 127.0.0.1 on a free
port. wrk sends a mix of hello, ``/user/<name>``, JSON and 404 requests (the
404s one in four) for ``--warmup`` seconds, then for ``--seconds``. Each worker
process's RSS and open descriptors are read from ``/proc`` when the load is
idle after the warm-up and after the soak, and every ``--every`` seconds
during it. It prints the figures and exits with 1 when a worker's RSS grew by
5 % or more from the warm-up, its descriptor count changed, or any request
failed or got a status other than 200 and 404 (or a 404 count that does not
match the 404s sent).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from benches.load import SERVERS, run_wrk, wrk_report  # noqa: E402

from production.servers import free_port, serving  # noqa: E402

APP = "benches.load_apps:routing_kolben"
MAX_RSS_GROWTH = 0.05

#: The soak's servers: names in ``benches/load.py``.
SOAK_SERVERS = ("granian-1", "gunicorn-sync")

#: The mix, in turn: hello, a parameter, JSON, a 404.
_MIX_SCRIPT = """
local paths = {"/", "/user/ann", "/json", "/missing/page"}

function init(args)
  sent = 0
  sent_404 = 0
  got_404 = 0
  bad_status = 0
end

function request()
  sent = sent + 1
  local path = paths[(sent % #paths) + 1]
  if path == "/missing/page" then sent_404 = sent_404 + 1 end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status == 404 then
    got_404 = got_404 + 1
  elseif status ~= 200 then
    bad_status = bad_status + 1
  end
end
""" + wrk_report(("bad_status", "sent_404", "got_404"))


@dataclasses.dataclass(frozen=True)
class Sample:
    """One reading of a worker process."""

    rss_kib: int
    fds: int


def workers(leader: int) -> list[int]:
    """The processes of the server's process group, but its leader (the
    master, or the process that starts granian's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == leader:
            continue
        try:
            if os.getpgid(int(entry)) == leader:
                found.append(int(entry))
        except ProcessLookupError:
            continue
    return sorted(found)


def sample(pid: int) -> Sample:
    """``pid``'s resident memory and open file descriptors, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return Sample(int(rss.split()[1]), len(os.listdir(f"/proc/{pid}/fd")))


def _idle_samples(leader: int) -> dict[int, Sample]:
    time.sleep(1.0)  # let the last connections close
    return {pid: sample(pid) for pid in workers(leader)}


def soak(server: str, seconds: float, warmup: float, every: float) -> bool:
    """One server's soak, printed; whether it passed."""
    port = free_port()
    print(f"\n{SERVERS[server][0]}: {seconds:g} s of load after {warmup:g} s warm-up")
    with serving(SERVERS[server][1](APP, port), port) as process:
        run_wrk(port, _MIX_SCRIPT, warmup, connections=32)
        before = _idle_samples(process.pid)
        result: dict[str, int] = {}
        load = threading.Thread(
            target=lambda: result.update(
                run_wrk(port, _MIX_SCRIPT, seconds, connections=32)
            )
        )
        started = time.monotonic()
        load.start()
        while load.is_alive():
            load.join(every)
            if load.is_alive():
                during = {pid: sample(pid) for pid in workers(process.pid)}
                print(
                    f"  {time.monotonic() - started:5.0f} s  "
                    + "  ".join(
                        f"pid {pid}: {s.rss_kib / 1024:.1f} MiB, {s.fds} fds"
                        for pid, s in during.items()
                    ),
                    flush=True,
                )
        after = _idle_samples(process.pid)
    ok = set(before) == set(after)
    if not ok:
        print(f"  workers changed: {sorted(before)} -> {sorted(after)}")
    for pid in sorted(set(before) & set(after)):
        b, a = before[pid], after[pid]
        growth = a.rss_kib / b.rss_kib - 1
        ok = ok and growth < MAX_RSS_GROWTH and a.fds == b.fds
        print(
            f"  worker {pid}: RSS {b.rss_kib / 1024:.1f} -> {a.rss_kib / 1024:.1f} MiB"
            f" ({growth:+.2%}), fds {b.fds} -> {a.fds}"
        )
    failures = result["socket_errors"] + result["bad_status"]
    # The 404s still in flight when wrk stopped are sent but not answered.
    missing_404 = result["sent_404"] - result["got_404"]
    ok = ok and failures == 0 and 0 <= missing_404 <= 32
    print(
        f"  {result['requests']:,} requests, "
        f"{result['requests'] / (result['duration_us'] / 1e6):,.0f}/s, "
        f"p50 {result['p50_us'] / 1e3:.2f} ms, p99 {result['p99_us'] / 1e3:.2f} ms; "
        f"socket errors {result['socket_errors']}, "
        f"statuses other than 200/404 {result['bad_status']}, "
        f"404s {result['got_404']:,} of {result['sent_404']:,} sent"
    )
    print(f"  {'passed' if ok else 'FAILED'}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--warmup", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=30.0)
    parser.add_argument("--server", action="append", choices=sorted(SERVERS))
    args = parser.parse_args(argv)
    results = [
        soak(server, args.seconds, args.warmup, args.every)
        for server in args.server or SOAK_SERVERS
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
