#!/usr/bin/env bash
# Type checks: the native module's stub against the built module (stubtest), then
# mypy --strict over the package and the examples. Needs kolben installed
# (pip install -e .) with its native module built, and mypy.
# Runs every check and fails at the end if any failed, so one run shows them all.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
check() {
    printf -- '-- %s\n' "$*"
    "$@" || failed+=("$*")
}

check python -m mypy.stubtest kolben._router
check python -m mypy --strict python/kolben
check python -m mypy --strict examples/hello.py examples/conflicts.py
check python -m mypy --strict examples/quickstart/app.py
# examples/blog holds the `blog` package (no __init__.py above it), so mypy
# names its modules blog.* from here, as `cd examples/blog` would.
check python -m mypy --strict examples/blog

if ((${#failed[@]})); then
    printf 'type checks failed:\n' >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
