"""History benchmark: a read of the past against a read of the present, on a large account.

    .venv/bin/python -m bench.bench_history --size 10000 [--neo4j bolt://127.0.0.1:7687]
    .venv/bin/python -m bench.bench_history --smoke          # tiny, for CI; never asserts timings

It builds the worst case the checkpoint policy allows (``docs/history.md``): one import (revision 1,
a checkpoint), then ``--steps`` re-imports that each change a share of the items in place (stances,
strengths, weights), add a few and remove a few, so that the deltas since the checkpoint add up to
just under the map's size (one more item and the next write keeps a new checkpoint). A read as of the
last revision before that point has to load the checkpoint *and* every delta after it.

Per store it reports the median of ``--repeat`` runs of: the present (``service.export_map``), the
past as of the worst revision, as of a middle revision, and as of revision 1 (the checkpoint alone),
and each past read's ratio to the present (goal: at most 3). It also checks that every past read gives
back exactly the map exported at that revision. Compare ratios within one run: the machine is noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_document
from powermap.model import parse_account_map
from powermap.service import PowermapService
from powermap.settings import Settings
from powermap.store import Change, Store, open_store
from powermap.store.history import checkpoint_entries, document_size
from powermap.store.sqlite import SQLiteStore

SMOKE_SIZE = 50


def changed_copy(document: dict[str, Any], rng: random.Random, share: float, step: int) -> dict[str, Any]:
    """The document with ``share`` of its stakeholders and lines changed in place, and a few lines removed."""
    result = {
        key: ([dict(item) for item in value] if isinstance(value, list) else value) for key, value in document.items()
    }
    stances = ["champion", "supporter", "neutral", "skeptic", "opponent"]
    for person in rng.sample(result["stakeholders"], int(len(result["stakeholders"]) * share)):
        person["stance"] = rng.choice([s for s in stances if s != person["stance"]])
    for line in rng.sample(result["influences"], int(len(result["influences"]) * share)):
        line["weight"] = round(rng.random(), 3)
    for line in rng.sample(result["relationships"], int(len(result["relationships"]) * share)):
        line["strength"] = round(rng.random(), 3)
    # and a few lines go
    result["competitor_relationships"] = result["competitor_relationships"][
        max(1, len(result["competitor_relationships"]) // 100) :
    ]
    result["account"] = {**document["account"], "notes": f"step {step}"}
    return result


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    runs = []
    value: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = call()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), value


def bench_store(url: str, size: int, steps: int, repeat: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    account = f"bench-history-{uuid.uuid4().hex[:8]}"
    document = synthetic_document(size, seed=seed, account_id=account)
    items = document_size(document)
    # Each step changes a share of the stakeholders, influences and relationships so that the deltas
    # of all steps add up to just under the map's size (at the map's size a checkpoint would be kept).
    changeable = sum(len(document[name]) for name in ("stakeholders", "influences", "relationships"))
    share = 0.93 * items / steps / changeable
    with open_store(url, Settings()) as store:
        service = PowermapService(store, actor="bench")
        try:
            start = time.perf_counter()
            service.import_map(document)
            first_import = time.perf_counter() - start
            exported = {1: service.export_map(account)}
            import_times = []
            for step in range(1, steps + 1):
                document = changed_copy(document, rng, share, step)
                start = time.perf_counter()
                result = service.import_map(document)
                import_times.append(time.perf_counter() - start)
                exported[result.revision] = service.export_map(account)
            last = max(exported)
            checkpoint, since = store.history_since_checkpoint(account)
            present_s, present = timed(lambda: service.export_map(account), repeat)
            assert present == exported[last]
            figures: dict[str, Any] = {
                "store": url.split(":", 1)[0],
                "stakeholders": size,
                "items": items,
                "revisions": last,
                "last_checkpoint": checkpoint,
                "delta_items_since": since,
                "first_import_s": first_import,
                "replacing_import_s": statistics.median(import_times),
                "present_s": present_s,
            }
            worst = last - 1  # the present itself is read live; the revision before it rebuilds from history
            for label, revision in (("worst", worst), ("middle", max(1, worst // 2)), ("checkpoint", 1)):
                seconds, past = timed(partial(service.export_map, account, as_of=str(revision)), repeat)
                if past != exported[revision]:
                    raise AssertionError(f"as of revision {revision} the store gave back another map")
                figures[f"as_of_{label}_revision"] = revision
                figures[f"as_of_{label}_s"] = seconds
                figures[f"as_of_{label}_ratio"] = seconds / present_s
            figures.update(first_import_costs(store, service, exported[1], account))
            return figures
        finally:
            store.delete_account(account, Change("bench", "cleanup"))


def first_import_costs(
    store: Store, service: PowermapService, document: dict[str, Any], account: str
) -> dict[str, Any]:
    """What keeping history costs an import of a new account, and the first edit after it."""
    found: dict[str, Any] = {}
    # What keeping history costs an import of a new account: the store's write alone, without
    # a delta, against the service's import (validation, the diff it reports, the write and its
    # history). The first checkpoint is the map just written until the account next changes
    # (SQLite: copied then, docs/history.md), so the first edit after an import pays the copy:
    # timed beside a second edit. "eager" adds to the import the copy the import itself used to
    # write (the same entries, written at once), for the before/after in one run.
    bare_id, kept_id, eager_id = f"{account}-bare", f"{account}-kept", f"{account}-eager"
    plain = parse_account_map({**document, "account": {**document["account"], "id": bare_id}})
    start = time.perf_counter()
    store.put_map(plain, Change("bench", "import", bare_id))
    found["import_without_history_s"] = time.perf_counter() - start
    start = time.perf_counter()
    parse_account_map(document)
    found["validation_s"] = time.perf_counter() - start
    start = time.perf_counter()
    service.import_map({**document, "account": {**document["account"], "id": kept_id}})
    found["import_with_history_s"] = time.perf_counter() - start
    eager = {**document, "account": {**document["account"], "id": eager_id}}
    start = time.perf_counter()
    eager_revision = service.import_map(eager).revision
    if isinstance(store, SQLiteStore):  # Neo4j still stages the checkpoint with the import
        store.write_checkpoint(eager_id, eager_revision, checkpoint_entries(eager))
    found["import_eager_checkpoint_s"] = time.perf_counter() - start
    for label in ("first_edit_s", "second_edit_s"):
        start = time.perf_counter()
        service.update_account_record(kept_id, {"notes": label})
        found[label] = time.perf_counter() - start
    for extra in (bare_id, kept_id, eager_id):
        store.delete_account(extra, Change("bench", "cleanup"))
    return found


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_history", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="stakeholders")
    parser.add_argument("--steps", type=int, default=10, help="re-imports after the first")
    parser.add_argument("--repeat", type=int, default=3, help="runs per read (median reported)")
    parser.add_argument("--neo4j", help="also a Neo4j server (bolt:// URL, auth off)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--smoke", action="store_true", help=f"{SMOKE_SIZE} stakeholders, 3 steps, once")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    size, steps, repeat = (SMOKE_SIZE, 3, 1) if options.smoke else (options.size, options.steps, options.repeat)
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite:///{Path(folder) / 'history.db'}"] + ([options.neo4j] if options.neo4j else [])
        rows = [bench_store(url, size, steps, repeat, options.seed) for url in urls]
    header = [
        "store",
        "items",
        "revisions",
        "delta items since checkpoint",
        "present",
        "worst past",
        "middle",
        "checkpoint",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print(
            f"| {r['store']} | {r['items']} | {r['revisions']} | {r['delta_items_since']} | {r['present_s']:.3f} s | "
            f"{r['as_of_worst_s']:.3f} s ({r['as_of_worst_ratio']:.2f}x) | "
            f"{r['as_of_middle_s']:.3f} s ({r['as_of_middle_ratio']:.2f}x) | "
            f"{r['as_of_checkpoint_s']:.3f} s ({r['as_of_checkpoint_ratio']:.2f}x) |"
        )
    for r in rows:
        print(
            f"{r['store']}: first import {r['first_import_s']:.2f} s, replacing import (read + diff + write) "
            f"{r['replacing_import_s']:.2f} s; new account: store write without history "
            f"{r['import_without_history_s']:.2f} s, service import with history {r['import_with_history_s']:.2f} s "
            f"(of which validation {r['validation_s']:.2f} s; with the checkpoint written at once, as before: "
            f"{r['import_eager_checkpoint_s']:.2f} s); first edit after it {r['first_edit_s']:.2f} s (copies the "
            f"checkpoint on SQLite), second edit {r['second_edit_s']:.2f} s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
