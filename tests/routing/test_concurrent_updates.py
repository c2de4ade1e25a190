"""Rules added while other threads match: every match sees the router before
the addition or after it (the swap is atomic), never a torn one, and the rules
that were there all along keep matching."""

from __future__ import annotations

import threading

import pytest
from werkzeug.exceptions import NotFound

from kolben.routing import Map, Rule

ADDED = 60
MATCHERS = 3


def test_matches_during_additions_see_the_old_or_the_new_router() -> None:
    url_map = Map([Rule("/item/<int:n>", endpoint="item")])
    adapter = url_map.bind("example.org")
    assert adapter.match("/item/1") == ("item", {"n": 1})
    stop = threading.Event()
    failures: list[BaseException] = []
    # Probes of rules not added yet, once added: NotFound until the router that
    # has them is swapped in, then their endpoint, and never NotFound again.
    seen_found: dict[int, set[int]] = {t: set() for t in range(MATCHERS)}
    # How many probes each whole pass of each matcher found.
    passes: dict[int, list[int]] = {t: [] for t in range(MATCHERS)}

    def match_loop(thread: int) -> None:
        try:
            while not stop.is_set():
                assert adapter.match("/item/7") == ("item", {"n": 7})
                found = 0
                for k in range(ADDED):
                    try:
                        endpoint, values = adapter.match(f"/added/{k}")
                    except NotFound:
                        assert k not in seen_found[thread], f"/added/{k} vanished"
                        continue
                    assert (endpoint, values) == (f"added-{k}", {})
                    seen_found[thread].add(k)
                    found += 1
                passes[thread].append(found)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
            stop.set()

    def await_whole_passes() -> None:
        """Wait until each matcher has made a whole pass begun after this call
        (at most some 30 s; then the assertions below fail)."""
        wanted = {t: len(p) + 2 for t, p in passes.items()}
        for _ in range(3000):
            if stop.is_set() or all(len(passes[t]) >= wanted[t] for t in wanted):
                return
            stop.wait(0.01)

    threads = [threading.Thread(target=match_loop, args=(t,)) for t in range(MATCHERS)]
    for thread in threads:
        thread.start()
    try:
        await_whole_passes()
        for k in range(ADDED):
            url_map.add(Rule(f"/added/{k}", endpoint=f"added-{k}"))
            if k % 10 == 0:
                # Now and then each matcher makes a whole pass with no rule
                # being added: the counts asserted below.
                url_map.update()
                await_whole_passes()
        await_whole_passes()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    if failures:
        raise failures[0]
    for thread in range(MATCHERS):
        assert seen_found[thread] == set(range(ADDED))
        # No pass saw fewer rules than the one before it, and passes saw the
        # routers in between, not only the first and the last.
        assert passes[thread] == sorted(passes[thread])
        assert set(passes[thread]) >= {0, *range(1, ADDED, 10), ADDED}


def test_adapter_follows_every_addition() -> None:
    url_map = Map()
    adapter = url_map.bind("example.org")
    for k in range(50):
        url_map.add(Rule(f"/r/{k}", endpoint=f"r{k}"))
        # No explicit update: the next match compiles and swaps in the router.
        assert adapter.match(f"/r/{k}") == (f"r{k}", {})
        assert adapter.match(f"/r/{k // 2}") == (f"r{k // 2}", {})
        with pytest.raises(NotFound):
            adapter.match(f"/r/{k + 1}")
