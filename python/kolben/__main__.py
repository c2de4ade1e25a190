"""``python -m kolben``: the ``kolben`` command."""

from .cli import main

main()
