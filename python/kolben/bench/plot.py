"""The chart of ``kolben bench --plot``: median ns per call against the number
of rules in the synthetic tables (log scales), one panel per kind of probe, one
line per peer, drawn with matplotlib (the ``bench`` extra) on its Agg canvas.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterable
from pathlib import Path

from .report import run_medians
from .tables import SYNTHETIC_SIZES
from .timing import BenchRun

#: The file types ``--plot`` writes, by suffix.
PLOT_SUFFIXES = (".svg", ".png")

_LABELS = {
    "werkzeug": "Werkzeug",
    "kolben-native": "kolben fast path",
    "falcon": "Falcon",
    "pymatchit": "pymatchit",
}


def can_plot() -> bool:
    """Whether matplotlib is installed."""
    return importlib.util.find_spec("matplotlib") is not None


def synthetic_tables(tables: Iterable[str]) -> dict[str, int]:
    """The synthetic tables among ``tables``, by name, with their sizes,
    smallest first."""
    chosen = set(tables)
    sizes = {f"synthetic-{n}": n for n in SYNTHETIC_SIZES}
    return {name: n for name, n in sizes.items() if name in chosen}


def plot_run(run: BenchRun, path: str | Path) -> None:
    """Chart ``run``'s synthetic tables in ``path`` (``.svg`` or ``.png``).

    :raises ValueError: the run has no synthetic table, or ``path`` another suffix.
    :raises ImportError: matplotlib is not installed.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter, NullLocator, StrMethodFormatter

    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise ValueError(f"{path}: the chart is .svg or .png, not {suffix!r}")
    medians = run_medians(run)
    tables = synthetic_tables(table for table, _ in medians)
    if not tables:
        raise ValueError("the run has no synthetic table to chart")
    kinds = list(dict.fromkeys(kind for _, kind in medians))
    columns = min(2, len(kinds))
    rows = math.ceil(len(kinds) / columns)
    # A fixed salt and no date: the same run gives the same SVG.
    with rc_context({"svg.hashsalt": "kolben", "svg.fonttype": "none"}):
        figure = Figure(
            figsize=(4.2 * columns + 0.6, 3.0 * rows + 1.2), layout="constrained"
        )
        FigureCanvasAgg(figure)
        axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
        for ax, kind in zip(axes.flat, kinds):
            for peer in run.peers:
                points = [
                    (size, medians[table, kind][peer])
                    for table, size in tables.items()
                    if peer in medians.get((table, kind), {})
                ]
                label = _LABELS.get(peer, f"kolben MapAdapter.{run.op}")
                ax.plot(*zip(*points), marker="o", label=label)
            ax.set_title(kind)
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xticks(list(tables.values()), [f"{n:,}" for n in tables.values()])
            ax.xaxis.set_minor_locator(NullLocator())
            # Plain figures, not 10^n: text an SVG viewer sets in any font.
            ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
            ax.yaxis.set_minor_formatter(NullFormatter())
            ax.grid(True, which="both", alpha=0.3)
        for ax in list(axes.flat)[len(kinds) :]:
            ax.set_visible(False)
        for ax in axes[-1]:
            ax.set_xlabel("rules in the table")
        for ax in axes[:, 0]:
            ax.set_ylabel(f"median ns per {run.op}")
        rounds = f"{run.rounds} round{'' if run.rounds == 1 else 's'}"
        figure.suptitle(
            f"Median ns per {run.op} by number of rules ({rounds}, log scales)"
        )
        handles, labels = axes.flat[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncols=3)
        metadata = {"Date": None} if suffix == ".svg" else {}
        figure.savefig(path, format=suffix[1:], metadata=metadata)
