"""Run by the fault build's python (``python -m tests.faults.panic_probe``): a
real Rust panic on the request path, in-process, on each way a request is
matched. Prints one JSON object per line: what each request answered and what
the app logged."""

from __future__ import annotations

import json
import logging
import typing as t

import kolben
from kolben.routing import RouterPanic

PANIC_PATH = "/files/__kolben_panic__/x"


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _app(**config: t.Any) -> kolben.Kolben:
    app = kolben.Kolben("probe")
    app.config.update(config)
    app.add_url_rule("/files/<path:p>", "files", lambda p: f"file {p}")
    return app


def _probe(way: str, app: kolben.Kolben) -> dict[str, t.Any]:
    """Two requests: the panic, then a plain one."""
    records = _Records()
    app.logger.addHandler(records)
    client = app.test_client()
    panicked = client.get(PANIC_PATH)
    after = client.get("/files/a")
    logged = [r for r in records.records if r.exc_info]
    error = logged[0].exc_info[1] if logged and logged[0].exc_info else None
    return {
        "way": way,
        "native_router": app.native_router() is not None,
        "status": panicked.status_code,
        "after": [after.status_code, after.get_data(as_text=True)],
        "logged": [r.getMessage() for r in logged],
        "error": type(error).__name__,
        "is_router_panic": isinstance(error, RouterPanic),
        "cause": type(error.__cause__).__name__ if error else None,
        "cause_text": str(error.__cause__) if error else None,
    }


def main() -> None:
    rows = [
        _probe("native route", _app()),
        # TRUSTED_HOSTS: matched by the bound adapter, not the one native call.
        _probe("bound adapter", _app(TRUSTED_HOSTS=["localhost"])),
    ]
    # The adapter's own match, outside a request: the panic as PyO3 raises it.
    adapter = _app().url_map.bind("example.org")
    try:
        adapter.match(PANIC_PATH)
    except BaseException as error:  # noqa: B036 - the panic is a BaseException
        rows.append({"way": "adapter.match", "error": type(error).__name__})
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
