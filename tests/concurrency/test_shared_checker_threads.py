"""One Checker shared by threads gives the serial run's report byte for byte, and what one thread checks (its
date, the product it is on) never shows up in another thread's findings."""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from contextlib import contextmanager

from compliance_engine import Checker, load_manifests
from compliance_engine.formatters import get as formatter
from tests.conftest import make_checker, pack_yaml, rule_yaml, write

from .conftest import AS_OF, MIN_UNITS, first_difference

THREADS = 8
SCHEMA_RULES = 8
CHUNK = 7  # units per chunk: not a multiple of a product's unit count, so a product's units land in different threads


def _run_threads(target, count: int) -> list[BaseException]:
    """Start ``count`` threads on ``target(index, barrier)`` and join them; returns what they raised."""
    barrier = threading.Barrier(count)
    raised: list[BaseException] = []

    def body(i: int) -> None:
        try:
            target(i, barrier)
        except BaseException as exc:  # noqa: BLE001 - handed to the test, which fails with it
            raised.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=body, args=(i,), name=f"checker-{i}") for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a checking thread did not finish within 10 minutes"
    return raised


@contextmanager
def _switch_often(seconds: float = 1e-5):
    """Make the interpreter hand the GIL from thread to thread every ``seconds`` (its default is every 5 ms), so
    that threads are interrupted in the middle of a rule, where a cache shared by threads is caught half-written."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def test_eight_threads_sharing_one_checker_give_the_serial_report_byte_for_byte(loaded_catalogue, serial_json):
    """More than 10,000 units cut into chunks of 7, each of 8 threads checking its share in its own order; the
    findings, put together into a report as the serial run does, are the serial run's JSON report byte for byte."""
    checker = Checker(as_of=AS_OF)
    units = checker.units_of(loaded_catalogue)
    assert len(units) >= MIN_UNITS
    starts = list(range(0, len(units), CHUNK))
    # chunk k goes to thread k % 8; each thread takes its chunks in its own order (forward, backward, shuffled)
    orders = []
    for t in range(THREADS):
        mine = starts[t::THREADS]
        if t % 3 == 1:
            mine.reverse()
        elif t % 3 == 2:
            random.Random(t).shuffle(mine)
        orders.append(mine)
    findings: list = [None] * len(units)
    finished: list[tuple[float, int]] = []  # (time a chunk was done, thread): list.append is atomic
    spans: list[tuple[float, float]] = [(0.0, 0.0)] * THREADS

    def work(t: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        began = time.perf_counter()
        for start in orders[t]:
            for i in range(start, min(start + CHUNK, len(units))):
                findings[i] = checker.check_unit(units[i])
            finished.append((time.perf_counter(), t))
        spans[t] = (began, time.perf_counter())

    raised = _run_threads(work, THREADS)
    assert raised == [], raised
    assert all(f is not None for f in findings)

    # the threads really ran at the same time: all eight were under way at one moment, and their chunks interleave
    assert max(b for b, _ in spans) < min(e for _, e in spans), spans
    sequence = [t for _, t in sorted(finished)]
    switches = sum(a != b for a, b in zip(sequence, sequence[1:]))
    assert switches >= len(starts) // 10, f"only {switches} switches between threads in {len(starts)} chunks"

    report = checker.report_of(loaded_catalogue, units, findings, None, None)
    combined = formatter("json")(report).encode("utf-8")
    same = combined == serial_json
    assert same, first_difference(combined, serial_json)


def _as_dicts(findings) -> list[dict]:
    return [f.to_dict() for f in findings]


def _check_repeatedly(jobs: list, rounds: int) -> list[str]:
    """Run ``jobs`` (one per thread: a list of (checker, unit, as_of, expected findings as dicts)) ``rounds`` times,
    all threads at once with frequent thread switches; returns a line per finding list that differs from its
    expectation."""
    wrong: list[str] = []

    def work(t: int, barrier: threading.Barrier) -> None:
        barrier.wait()
        order = list(range(len(jobs[t])))
        shuffle = random.Random(t).shuffle
        for _ in range(rounds):
            shuffle(order)
            for i in order:
                checker, unit, as_of, expected = jobs[t][i]
                got = _as_dicts(checker.check_unit(unit, as_of))
                if got != expected:
                    wrong.append(f"thread {t}, {unit.sku} in {unit.market} as of {as_of or checker.as_of}")

    with _switch_often():
        raised = _run_threads(work, len(jobs))
    assert raised == [], raised
    return wrong


def test_the_check_date_of_one_thread_never_leaks_into_another(loaded_catalogue):
    """Two Checkers with different dates (they share the process's compiled engine) and one Checker asked for another
    date per call, in eight threads over the same units at once: each finding list is the one a serial check of
    that date gives. 2024-06-01 is before the GPSR applied, 2026-11-24 after; their findings differ."""
    today = Checker(as_of=AS_OF)
    earlier = Checker(as_of="2024-06-01")
    units = today.units_of(loaded_catalogue)[:240]
    expected_today = [_as_dicts(today.check_unit(u)) for u in units]
    expected_earlier = [_as_dicts(earlier.check_unit(u)) for u in units]
    differ = sum(a != b for a, b in zip(expected_today, expected_earlier))
    assert differ > len(units) // 2, "the two dates must give different findings, or a leak would go unseen"
    modes = [(today, None, expected_today), (earlier, None, expected_earlier),
             (today, earlier.as_of, expected_earlier), (earlier, today.as_of, expected_today)]
    jobs = [[(checker, u, as_of, expected[i]) for i, u in enumerate(units)] for checker, as_of, expected in modes * 2]
    assert _check_repeatedly(jobs, rounds=1) == []


def test_two_threads_checking_different_products_at_once_keep_their_own_findings(tmp_path):
    """Two threads, each on its own product, checked alternately with a thread switch every 10 microseconds
    (mid-rule): what is cached about the product a thread is on (the JSON Schema errors of each requirement) never
    reaches the other thread. Eight schema rules of a test pack each pass for one product and fail for the other,
    whose leaflet texts name a banned word. Tried with the per-thread cache made one cache for all threads: 2 to
    300 of the 36,000 finding lists came out wrong, in each of six runs."""
    rules = "".join(rule_yaml(f"x-test.threads.schema-{k}", requires=f"[{{schema: {{properties: {{inserts: "
                                                                      f"{{items: {{not: {{const: banned-{k}}}}}}}}}}}}}]")
                    for k in range(1, SCHEMA_RULES + 1))
    checker = make_checker(tmp_path, pack_yaml("x-test.threads", rules))
    pages = [f"page {i}" for i in range(5)]
    for sku, inserts in (("CLEAN", pages), ("BANNED", pages + [f"banned-{k}" for k in range(1, SCHEMA_RULES + 1)])):
        product = {"kind": "Product", "sku": sku, "category": "apparel", "markets": ["DE", "FR", "IT"], "inserts": inserts}
        write(tmp_path / "products" / f"{sku.lower()}.json", json.dumps(product))
    units = checker.units_of(load_manifests([tmp_path / "products"]))
    expected = [_as_dicts(checker.check_unit(u)) for u in units]
    statuses = {u.sku: {f["status"] for f in expected[i]} for i, u in enumerate(units)}
    assert statuses == {"CLEAN": {"pass"}, "BANNED": {"fail"}}
    assert all(len(e) == SCHEMA_RULES for e in expected)
    jobs = [[(checker, u, None, expected[i]) for i, u in enumerate(units) if u.sku == sku] for sku in ("CLEAN", "BANNED")]
    assert _check_repeatedly(jobs, rounds=6000) == []
