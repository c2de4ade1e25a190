"""kolben's commands on Flask's ``flask`` command: the ``flask.commands``
entry points.

Flask loads every installed entry point of that group for each ``flask``
command line and does not catch what loading raises. So this module never
raises: when kolben cannot load on the installed Flask, ``routes`` is Flask's
own command and ``bench`` fails with the reason, and everything else on
Flask's command line works as without kolben.
"""

from __future__ import annotations

import click
from flask.cli import routes_command as _flask_routes_command

try:
    from .cli import bench_command, routes_command
except Exception as error:  # kolben cannot run on this Flask
    _reason = f"kolben cannot load: {type(error).__name__}: {error}"

    @click.command("bench", short_help="kolben's router benchmark (unavailable).")
    def bench_command() -> None:
        """kolben's router benchmark, which cannot run here."""
        raise click.ClickException(_reason)

    routes_command = _flask_routes_command

__all__ = ["bench_command", "routes_command"]
