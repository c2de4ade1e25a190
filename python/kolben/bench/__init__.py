"""The routing benchmark behind ``kolben bench``: URL matching in kolben against
Werkzeug, and against Falcon and pymatchit when they are installed, same run.

Every peer is built from the same table of ``(method, rule)`` routes, with rules in
Werkzeug syntax. Werkzeug and kolben get one ``Rule`` per route (endpoint
``"METHOD rule"``); Falcon and pymatchit, which route paths but not methods, get one
route per distinct rule. Each probe (static, 1-param, 3-param or a miss) is routed
once by every peer and the answer checked; then the peers are timed in rounds,
interleaved round by round, and the median ns per call is reported with the ratio
to Werkzeug's: the median over the rounds of Werkzeug's time over the peer's in the
same round. The pytest-benchmark suite in the source tree (``benches/``) uses
the same tables, routers and answer checks.

``--op build`` times ``MapAdapter.build`` instead, Werkzeug's and kolben's, on the
probes with a rule.

``--json`` writes an object with ``op``, ``rounds``, ``min_round_seconds``, ``baseline``
(``"werkzeug"``), ``missing_peers`` (optional peers not installed), ``results``
(one object per table, kind and peer: ``table``, ``kind``, ``peer``, ``ns``, the
median ns per call, ``ratio``, the median over the rounds of the baseline's ns
over the peer's in the same round, ``loops``, calls per round, and ``round_ns``,
ns per call in each round) and ``geometric_means`` (table -> peer -> geometric
mean of the ratios over the kinds).

The package: :mod:`~kolben.bench.tables` (routes and probes),
:mod:`~kolben.bench.peers` (routers, calls and answer checks),
:mod:`~kolben.bench.timing` (the timed rounds) and :mod:`~kolben.bench.report`
(markdown and JSON). Here: the names the CLI, the tests and ``benches/`` use.
"""

from .peers import (
    BUILD_PEERS,
    MATCH_PEERS,
    OPTIONAL_PEERS,
    Call,
    WrongAnswer,
    build_call,
    check_build,
    check_match,
    falcon_router,
    kolben_map,
    match_call,
    matchit_router,
    werkzeug_map,
)
from .report import markdown, paired_ratio, run_markdown, write_json
from .tables import KINDS, TABLE_NAMES, Probe, get_table
from .timing import MIN_ROUND_SECONDS, OPS, BenchRun, Timing, measure

__all__ = [
    "BUILD_PEERS",
    "KINDS",
    "MATCH_PEERS",
    "MIN_ROUND_SECONDS",
    "OPS",
    "OPTIONAL_PEERS",
    "TABLE_NAMES",
    "BenchRun",
    "Call",
    "Probe",
    "Timing",
    "WrongAnswer",
    "build_call",
    "check_build",
    "check_match",
    "falcon_router",
    "get_table",
    "kolben_map",
    "markdown",
    "match_call",
    "paired_ratio",
    "matchit_router",
    "measure",
    "run_markdown",
    "werkzeug_map",
    "write_json",
]
