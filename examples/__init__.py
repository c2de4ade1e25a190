"""Example applications; a package so that ``examples.hello:app`` imports from
the repository root (``gunicorn examples.hello:app``)."""
