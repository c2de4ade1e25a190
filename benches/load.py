"""Real servers under load: the same app built on kolben, Flask and (for the
routing app) Falcon, under granian and gunicorn, driven by ``wrk``, side by side.

Usage, from the repository root::

    python benches/load.py [--duration 10] [--rounds 5] [--connections 32]
        [--server granian-1 ...] [--app routing|blog ...] [--framework kolben ...]
        [--json out.json]

Needs ``wrk`` (Debian/Ubuntu: ``apt-get install wrk``) and the ``test`` and
``bench`` extras (granian, gunicorn, Falcon). Every server listens on 127.0.0.1
on a free port and is stopped after its app's cases. The frameworks' servers
run side by side and take turns: each case runs ``--rounds`` times on each
framework, ``duration / rounds`` seconds a turn, in a rotated order, and a
figure is the median over the turns, so that a busy spell of the machine slows
every framework alike. A full run takes about ``duration x 115`` seconds.

Apps (``benches/load_apps.py``):

- routing: the 1,000-rule app of ``benches/bench_app.py``: hello, a parameter
  (``/user/<username>``), JSON, a 404; with a bare WSGI callable on hello as
  the ceiling;
- blog: the example blog: a template page, a static file with ``Range``, a POST
  that redirects (log out), a login (form POST, session cookie, redirect), a
  page for a logged-in session.

Servers: granian with 1 and 2 worker processes on its default pool of threads
that run the app, and with 1 worker on 1 such thread (``--blocking-threads 1``,
as docs/deploying/granian.rst advises); gunicorn with 2 sync workers, and with
2 gthread workers of 4 threads.

Before wrk starts, every framework answers each of its cases once, and the
status, ``Content-Type`` and body are checked against the expected answer
(:func:`expected`): on the routing app, what the views return and Werkzeug's
404 page (``benches/bench_app.py``), as Falcon sends them for Falcon (its JSON
handler, its 404); on the blog, the answers of the Flask build in process
(Flask's test client). A wrong answer stops the run there, naming every wrong
one, with nothing timed.

For each case it prints requests per second, p50 and p99 latency, and the
count of socket errors, unexpected statuses and unexpected bodies (each
response is checked against the expected status and body). The exit status is
1 when any count is not zero. Timings are only printed, never asserted: compare
the ratios within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
from collections.abc import Callable, Sequence
from pathlib import Path

import flask

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from benches import bench_app  # noqa: E402
from benches.load_apps import BLOG_USER  # noqa: E402

from production.servers import (  # noqa: E402
    Reply,
    fetch,
    free_port,
    granian,
    gunicorn,
    serving,
)


@dataclasses.dataclass(frozen=True)
class Case:
    """One kind of request, sent over and over."""

    name: str
    path: str
    status: int
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    #: Send the session cookie of a logged-in user.
    logged_in: bool = False


_FORM = ("Content-Type", "application/x-www-form-urlencoded")
_RANGE = ("Range", "bytes=0-99")
#: The blog's redirects use Flask's default status: 302, and 303 from Flask 3.2.
_REDIRECT = flask.redirect("/").status_code

#: app -> its cases
CASES: dict[str, list[Case]] = {
    "routing": [
        Case("hello", "/", 200),
        Case("param", "/user/ann", 200),
        Case("json", "/json", 200),
        Case("404", "/missing/page", 404),
    ],
    "blog": [
        Case("template page", "/", 200),
        Case("static, Range", "/static/style.css", 206, headers=(_RANGE,)),
        Case("POST, redirect", "/auth/logout", _REDIRECT, "POST"),
        Case(
            "login",
            "/auth/login",
            _REDIRECT,
            "POST",
            headers=(_FORM,),
            body=f"username={BLOG_USER[0]}&password={BLOG_USER[1]}".encode(),
        ),
        Case("session page", "/create", 200, logged_in=True),
    ],
}  # fmt: skip

#: app -> framework -> the cases it serves (None: all)
FRAMEWORKS: dict[str, dict[str, set[str] | None]] = {
    "routing": {"bare": {"hello"}, "kolben": None, "falcon": None, "flask": None},
    "blog": {"kolben": None, "flask": None},
}

#: name -> (description, command for an app on a port)
SERVERS: dict[str, tuple[str, Callable[[str, int], list[str]]]] = {
    "granian-1": ("granian, 1 worker", lambda app, port: granian(app, port)),
    "granian-1-bt1": (
        "granian, 1 worker, 1 blocking thread",
        lambda app, port: granian(app, port, blocking_threads=1),
    ),
    "granian-2": (
        "granian, 2 workers",
        lambda app, port: granian(app, port, workers=2),
    ),
    "gunicorn-sync": (
        "gunicorn, 2 sync workers",
        lambda app, port: gunicorn(app, port, workers=2),
    ),
    "gunicorn-gthread": (
        "gunicorn, 2 gthread workers x 4 threads",
        lambda app, port: gunicorn(app, port, workers=2, threads=4),
    ),
}


@dataclasses.dataclass
class Result:
    """What wrk measured for one case of one framework under one server."""

    server: str
    app: str
    framework: str
    case: str
    requests: int
    seconds: float
    #: The median over the rounds of requests per second.
    rps_median: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    bad_status: int
    bad_body: int

    @property
    def rps(self) -> float:
        return self.rps_median

    @property
    def failures(self) -> int:
        return self.socket_errors + self.bad_status + self.bad_body


def lua_string(data: bytes) -> str:
    """``data`` as a Lua string literal (every byte escaped)."""
    return '"' + "".join(f"\\{b}" for b in data) + '"'


_SCRIPT = """
wrk.method = {method}
wrk.path = {path}
wrk.body = {body}
{headers}
local want_status = {status}
local want_body = {want_body}

function init(args)
  bad_status = 0
  bad_body = 0
end

function response(status, headers, body)
  if status ~= want_status then
    bad_status = bad_status + 1
  elseif want_body ~= nil and body ~= want_body then
    bad_body = bad_body + 1
  end
end
"""

#: The end of a wrk script: wrk's figures and the threads' counters, summed
#: over the threads, as a JSON line (``counters``: a Lua list of names).
_REPORT = """
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d',
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout))
  for _, name in ipairs(counters) do
    local total = 0
    for _, thread in ipairs(threads) do
      total = total + thread:get(name)
    end
    io.write(string.format(', "%s": %d', name, total))
  end
  io.write("}\\n")
end
"""


def wrk_report(counters: Sequence[str]) -> str:
    """The Lua that makes a wrk script's ``done`` print wrk's figures and the
    global ``counters`` of the script's threads, each summed, as a JSON line
    (the line :func:`run_wrk` reads)."""
    names = ", ".join(lua_string(name.encode()) for name in counters)
    return f"\nlocal counters = {{{names}}}\n{_REPORT}"


def wrk_script(
    case: Case, headers: Sequence[tuple[str, str]], want_body: bytes | None
) -> str:
    """The wrk script that sends ``case`` and checks each answer."""
    return _SCRIPT.format(
        method=lua_string(case.method.encode()),
        path=lua_string(case.path.encode()),
        body=lua_string(case.body),
        headers="\n".join(
            f"wrk.headers[{lua_string(k.encode())}] = {lua_string(v.encode())}"
            for k, v in headers
        ),
        status=case.status,
        want_body="nil" if want_body is None else lua_string(want_body),
    ) + wrk_report(("bad_status", "bad_body"))


def run_wrk(
    port: int, script: str, seconds: float, connections: int, threads: int = 1
) -> dict[str, t.Any]:
    """wrk on ``127.0.0.1:port`` for ``seconds``: the figures ``script``'s
    ``done`` prints."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script)
        file.flush()
        duration = f"-d{max(1, round(seconds))}s"
        command = [
            *("wrk", f"-t{threads}", f"-c{connections}", duration, "--timeout", "10s"),
            *("-s", file.name, f"http://127.0.0.1:{port}"),
        ]
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    line = next(x for x in reversed(output.splitlines()) if x.startswith("{"))
    return dict(json.loads(line))


#: Sends one request, ``(path, method, headers, body)``, and reads the reply.
Send = Callable[[str, str, dict[str, str], t.Optional[bytes]], Reply]


@dataclasses.dataclass(frozen=True)
class Answer:
    """What a case is answered with, as far as the check looks."""

    status: int
    content_type: str | None
    body: bytes

    @classmethod
    def of(cls, reply: Reply) -> Answer:
        """The part of ``reply`` the check compares."""
        return cls(reply.status, reply.headers.get("Content-Type"), reply.body)


def _to_server(port: int) -> Send:
    """Send to the server on ``127.0.0.1:port``."""
    return functools.partial(fetch, port)


def _in_process(app: t.Any) -> Send:
    """Send to ``app`` through its test client (no cookies kept)."""
    client = app.test_client(use_cookies=False)

    def send(
        path: str, method: str, headers: dict[str, str], body: bytes | None
    ) -> Reply:
        response = client.open(path, method=method, headers=headers, data=body)
        message = http.client.HTTPMessage()
        for name, value in response.headers.items():
            message[name] = value
        return Reply(response.status_code, message, response.get_data())

    return send


def _send_case(send: Send, case: Case, headers: Sequence[tuple[str, str]]) -> Reply:
    return send(case.path, case.method, dict(headers), case.body or None)


def _session_cookie(send: Send) -> str:
    """The session cookie of a logged-in user, its flashed message read."""
    (case,) = (c for c in CASES["blog"] if c.name == "login")
    reply = _send_case(send, case, case.headers)
    cookie = reply.headers["Set-Cookie"].split(";", 1)[0]
    # The first page shows the welcome message and drops it from the session.
    shown = send("/", "GET", {"Cookie": cookie}, None)
    renewed = shown.headers.get("Set-Cookie")
    return renewed.split(";", 1)[0] if renewed else cookie


def _case_headers(case: Case, cookie: str | None) -> list[tuple[str, str]]:
    """The headers ``case`` is sent with, given a logged-in session's cookie."""
    if not case.logged_in:
        return list(case.headers)
    if cookie is None:
        raise ValueError(f"{case.name} needs a logged-in session")
    return [*case.headers, ("Cookie", cookie)]


#: The routing app's cases by their names in ``benches/bench_app.py``.
_BENCH_APP_CASES = {"hello": "hello", "param": "1-param", "json": "json", "404": "404"}


def _routing_answer(framework: str, case: Case) -> Answer:
    """The routing app's answer to ``case``: the views' returns and Werkzeug's
    404 page as Flask sends them (``bench_app.expected``), which the bare
    callable's hello matches too; Falcon's JSON and its 404 as Falcon makes
    them."""
    _, content_type, body = bench_app.expected(_BENCH_APP_CASES[case.name])
    if framework == "falcon" and case.name in ("json", "404"):
        import falcon

        content_type = falcon.MEDIA_JSON
        if case.name == "json":
            value = json.loads(body)
            body = falcon.media.JSONHandler().serialize(value, content_type)
        else:
            body = falcon.HTTPNotFound().to_json()
    return Answer(case.status, content_type, body)


@functools.cache
def _blog_answers() -> dict[str, Answer]:
    """The blog's answer to each case, from the Flask build in process (a
    logged-in session of its own); the status is the case's."""
    from benches import load_apps

    send = _in_process(load_apps.blog_flask)
    cookie = _session_cookie(send)
    answers = {}
    for case in CASES["blog"]:
        reply = _send_case(send, case, _case_headers(case, cookie))
        answers[case.name] = dataclasses.replace(Answer.of(reply), status=case.status)
    return answers


def expected(app: str, framework: str, case: Case) -> Answer:
    """The answer ``framework``'s build of ``app`` must give to ``case``."""
    if app == "blog":
        return _blog_answers()[case.name]
    return _routing_answer(framework, case)


def _shorten(value: t.Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"


def _difference(got: Answer, want: Answer) -> str:
    """Each field of ``got`` that is not ``want``'s, with both values."""
    return "; ".join(
        f"{field.name} {_shorten(getattr(got, field.name))},"
        f" expected {_shorten(getattr(want, field.name))}"
        for field in dataclasses.fields(Answer)
        if getattr(got, field.name) != getattr(want, field.name)
    )


def checked_scripts(
    app: str,
    ports: dict[str, int],
    cookies: dict[str, str],
    label: str = "",
) -> dict[tuple[str, str], str]:
    """Send every case of ``app`` once to each framework's server (framework
    -> port) and check the answer against :func:`expected`; then the wrk
    script of each ``(framework, case name)``, which checks every answer's
    status and body.

    :raises SystemExit: an answer is not the expected one; the message names
        every such answer (nothing has been timed).
    """
    scripts = {}
    wrong = []
    for case in CASES[app]:
        for framework, port in ports.items():
            if not _serves(app, framework, case):
                continue
            headers = _case_headers(case, cookies.get(framework))
            want = expected(app, framework, case)
            got = Answer.of(_send_case(_to_server(port), case, headers))
            if got != want:
                wrong.append(f"  {framework} {case.name}: {_difference(got, want)}")
            scripts[framework, case.name] = wrk_script(case, headers, want.body)
    if wrong:
        raise SystemExit(
            f"{label}{app}: wrong answers, nothing timed:\n" + "\n".join(wrong)
        )
    return scripts


def measure(
    server: str,
    app: str,
    frameworks: Sequence[str],
    seconds: float,
    rounds: int,
    connections: int,
) -> list[Result]:
    """Serve ``app`` on each framework under ``server``, all at once, and run
    each case on each framework in turn, ``rounds`` times (in a rotated order
    each round), so that a busy spell of the machine slows every framework
    alike. A figure is the median over the rounds."""
    ports = {framework: free_port() for framework in frameworks}
    results = []
    with contextlib.ExitStack() as stack:
        for framework, port in ports.items():
            name = "bare" if framework == "bare" else f"{app}_{framework}"
            command = SERVERS[server][1](f"benches.load_apps:{name}", port)
            stack.enter_context(serving(command, port))
        cookies = {
            f: _session_cookie(_to_server(p)) for f, p in ports.items() if app == "blog"
        }
        checked = checked_scripts(app, ports, cookies, f"{server}, ")
        warm = set()
        for case in CASES[app]:
            serving_case = [f for f in frameworks if _serves(app, f, case)]
            scripts = {f: checked[f, case.name] for f in serving_case}
            for framework in serving_case:
                if framework not in warm:  # imports, caches, first allocations
                    run_wrk(ports[framework], scripts[framework], 1, connections)
                    warm.add(framework)
            runs: dict[str, list[dict[str, t.Any]]] = {f: [] for f in serving_case}
            for n in range(rounds):
                shift = n % len(serving_case)
                for framework in serving_case[shift:] + serving_case[:shift]:
                    runs[framework].append(
                        run_wrk(
                            ports[framework],
                            scripts[framework],
                            seconds / rounds,
                            connections,
                        )
                    )
            for framework in serving_case:
                results.append(_result(server, app, framework, case, runs[framework]))
                print(_line(results[-1]), file=sys.stderr, flush=True)
    return results


def _serves(app: str, framework: str, case: Case) -> bool:
    only = FRAMEWORKS[app][framework]
    return only is None or case.name in only


def _result(
    server: str, app: str, framework: str, case: Case, runs: list[dict[str, t.Any]]
) -> Result:
    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return Result(
        server=server,
        app=app,
        framework=framework,
        case=case.name,
        requests=sum(r["requests"] for r in runs),
        seconds=sum(r["duration_us"] for r in runs) / 1e6,
        rps_median=statistics.median(
            r["requests"] / (r["duration_us"] / 1e6) for r in runs
        ),
        p50_ms=median("p50_us") / 1e3,
        p99_ms=median("p99_us") / 1e3,
        socket_errors=sum(r["socket_errors"] for r in runs),
        bad_status=sum(r["bad_status"] for r in runs),
        bad_body=sum(r["bad_body"] for r in runs),
    )


def _line(r: Result) -> str:
    return (
        f"  {r.server:17} {r.app:8} {r.framework:7} {r.case:15} "
        f"{r.rps:9,.0f} req/s  p50 {r.p50_ms:7.2f} ms  p99 {r.p99_ms:7.2f} ms  "
        f"errors {r.socket_errors} status {r.bad_status} body {r.bad_body}"
    )


def table(results: Sequence[Result], app: str) -> str:
    """A Markdown table of ``app``'s results: a row per server and case,
    requests/s (p50/p99 ms) per framework, and kolben's ratios."""
    frameworks = [f for f in FRAMEWORKS[app] if any(r.framework == f for r in results)]
    by_key = {(r.server, r.framework, r.case): r for r in results if r.app == app}
    peers = [f for f in frameworks if f != "kolben"]
    head = ["server", "case", *frameworks, *(f"kolben / {p}" for p in peers)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    servers = dict.fromkeys(r.server for r in results if r.app == app)
    for server in servers:
        for case in CASES[app]:
            row = [SERVERS[server][0], case.name]
            kolben = by_key.get((server, "kolben", case.name))
            for framework in frameworks:
                r = by_key.get((server, framework, case.name))
                row.append(
                    "" if r is None else f"{r.rps:,.0f} ({r.p50_ms:.2f}/{r.p99_ms:.2f})"
                )
            for peer in peers:
                r = by_key.get((server, peer, case.name))
                ok = kolben is not None and r is not None and r.rps
                row.append(f"{kolben.rps / r.rps:.2f}" if ok else "")  # type: ignore[union-attr]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds a case")
    parser.add_argument(
        "--rounds", type=int, default=5, help="turns each framework takes a case"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--server", action="append", choices=sorted(SERVERS))
    parser.add_argument("--app", action="append", choices=sorted(CASES))
    parser.add_argument(
        "--framework", action="append", choices=["bare", "kolben", "falcon", "flask"]
    )
    parser.add_argument("--json", type=Path, help="write every result here")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    servers = args.server or list(SERVERS)
    apps = args.app or list(CASES)
    results: list[Result] = []
    started = time.monotonic()
    for server in servers:
        for app in apps:
            frameworks = [
                f for f in FRAMEWORKS[app] if not args.framework or f in args.framework
            ]
            results += measure(
                server, app, frameworks, args.duration, args.rounds, args.connections
            )
    for app in apps:
        print(f"\n{app}: requests/s (p50/p99 latency, ms), wrk -c{args.connections}")
        print(table(results, app))
    failures = sum(r.failures for r in results)
    elapsed = time.monotonic() - started
    print(
        f"\n{len(results)} runs of {args.duration:g} s in {elapsed:.0f} s;"
        f" socket errors, unexpected statuses and bodies: {failures}"
    )
    if args.json:
        args.json.write_text(
            json.dumps([dataclasses.asdict(r) for r in results], indent=1)
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
