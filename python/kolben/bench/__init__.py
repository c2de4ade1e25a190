"""The routing benchmark behind ``kolben bench``: URL matching in kolben against
Werkzeug, and against Falcon and pymatchit when they are installed, same run.

Every peer is built from the same table of ``(method, rule)`` routes, with rules in
Werkzeug syntax. Werkzeug and kolben get one ``Rule`` per route (endpoint
``"METHOD rule"``); Falcon and pymatchit, which route paths but not methods, get one
route per distinct rule. Each probe (static, 1-param, 3-param or a miss) is routed
once by every peer and the answer checked; then the peers are timed in rounds (each
round times every probe once, a probe's peers one after the other), and the median
ns per call is reported with the ratio
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

``--app`` times an app's own URL map instead (:mod:`~kolben.bench.app`): one URL
made for each rule (:mod:`~kolben.bench.urls`), routed by kolben's
``MapAdapter.match`` and by Werkzeug's on a copy of the map, the answers checked
equal, then both timed on every URL, paired round by round. It prints the rules and
probes, the median ns per match by kind of rule (static, 1-param, multi-param,
path) with the ratio, the ten slowest rules under kolben, and the rules it made no
URL for, each with the reason. Its ``--json`` object has ``app``, ``rounds``,
``min_round_seconds``, ``baseline``, ``rules`` (in the map), ``probes`` (routed and
timed), ``kinds`` (kind, and ``all`` -> ``rules``, ``werkzeug`` and ``kolben``, the
median over the kind's rules of their median ns, and ``ratio``, the median of their
paired ratios), ``slowest`` (rules, slowest under kolben first), ``results`` (one
object per probe: ``rule``, ``kind``, ``method``, ``path``, ``domain``, ``ratio``,
and ``timings``, peer -> ``ns``, ``loops``, ``round_ns``), ``unmade`` (``rule`` and
``reason``) and ``build_only`` (rules never routed).

``--plot FILE`` charts a table run's synthetic tables with matplotlib
(:mod:`~kolben.bench.plot`): median ns per call against the number of rules.

The package: :mod:`~kolben.bench.tables` (routes and probes),
:mod:`~kolben.bench.peers` (routers, calls and answer checks),
:mod:`~kolben.bench.timing` (the timed rounds), :mod:`~kolben.bench.app` and
:mod:`~kolben.bench.urls` (an app's map), :mod:`~kolben.bench.report` (markdown and
JSON) and :mod:`~kolben.bench.plot` (the chart). Here: the names the CLI, the tests
and ``benches/`` use.
"""

from .app import (
    APP_PEERS,
    RULE_KINDS,
    AppPlan,
    AppRun,
    plan_app,
    time_app,
    werkzeug_copy,
)
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
from .plot import PLOT_SUFFIXES, can_plot, plot_run, synthetic_tables
from .report import (
    app_json,
    app_markdown,
    dump_json,
    markdown,
    run_json,
    run_markdown,
    write_json,
)
from .tables import KINDS, SYNTHETIC_SIZES, TABLE_NAMES, Probe, get_table
from .timing import (
    MIN_ROUND_SECONDS,
    OPS,
    BenchRun,
    Progress,
    Timing,
    measure,
    paired_ratio,
)
from .urls import SAMPLES, MadeURL, NoURL, make_url, value_for

__all__ = [
    "APP_PEERS",
    "BUILD_PEERS",
    "KINDS",
    "MATCH_PEERS",
    "MIN_ROUND_SECONDS",
    "OPS",
    "OPTIONAL_PEERS",
    "PLOT_SUFFIXES",
    "RULE_KINDS",
    "SAMPLES",
    "SYNTHETIC_SIZES",
    "TABLE_NAMES",
    "AppPlan",
    "AppRun",
    "BenchRun",
    "Call",
    "MadeURL",
    "NoURL",
    "Probe",
    "Progress",
    "Timing",
    "WrongAnswer",
    "app_json",
    "app_markdown",
    "build_call",
    "can_plot",
    "check_build",
    "check_match",
    "dump_json",
    "falcon_router",
    "get_table",
    "kolben_map",
    "make_url",
    "markdown",
    "match_call",
    "matchit_router",
    "measure",
    "paired_ratio",
    "plan_app",
    "plot_run",
    "run_json",
    "run_markdown",
    "synthetic_tables",
    "time_app",
    "value_for",
    "werkzeug_copy",
    "werkzeug_map",
    "write_json",
]
