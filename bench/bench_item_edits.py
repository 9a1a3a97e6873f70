"""Item-only edits: one line, activity or voice written into a large account, against the whole-document check.

    .venv/bin/python -m bench.bench_item_edits --size 2000 [--neo4j bolt://127.0.0.1:7687]
    .venv/bin/python -m bench.bench_item_edits --smoke          # tiny, for CI; never asserts timings

Per store, on a synthetic account of ``--size`` stakeholders (``bench/synthetic.py``, plus one voice),
each kind of write is timed in blocks of ``--repeat``, **in turns** with the same write made the way every edit
of a line, activity or voice was made before item-only validation (the service's whole-document path,
``ServiceCore._edit``, which is still what a node's removal and ``log`` use: export the map as a document,
change it, validate the whole document against the contract, diff, write). Both paths go through the
same service, cache and store, and write the same item; only the checking differs. Reported: the p50 of
each and their ratio (whole / item). Compare ratios within one run: the machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_document
from powermap.model import AccountMap, EdgeKind
from powermap.service import PowermapService
from powermap.service.cache import MapCache
from powermap.settings import Settings
from powermap.store import Change, Store, open_store
from powermap.store.history import Delta

SMOKE_SIZE = 50
#: Blocks of ``--repeat`` timed writes per path, in turns (item, whole, item, whole, ...).
BLOCKS = 3

#: One kind of write: (its name, the item path's call, the document change the whole path makes, the store write).
Edit = Callable[[PowermapService, str, int], object]


def voiced(document: dict[str, Any]) -> dict[str, Any]:
    """The synthetic document with one open voice (heard at its first activity) to edit."""
    document["voices"] = [
        {
            "id": "v1",
            "stakeholder": document["stakeholders"][0]["id"],
            "date": "2026-09-01",
            "activity": document["activities"][0]["id"],
            "text": "bench",
            "category": "pain",
        }
    ]
    return document


def whole_document_write(
    service: PowermapService,
    account: str,
    list_name: str,
    index: int,
    changes: dict[str, Any],
    store_write: Callable[[Store, AccountMap, int, Change], int],
) -> None:
    """The write as every line/activity/voice edit made it before: change the document, validate it whole."""

    def mutate(document: dict[str, Any]) -> None:
        document[list_name][index] = {**document[list_name][index], **changes}

    def write(account_map: AccountMap, revision: int, history: Delta) -> int:
        change = Change(service.actor, f"bench {list_name}", "", history=history)
        return store_write(service.store, account_map, revision, change)

    service._edit(account, mutate, write)  # the earlier path, kept for node removal and log


def edits(document: dict[str, Any]) -> list[tuple[str, Edit, Edit]]:
    """(name, item-only write, whole-document write) for a line, an activity and a voice of ``document``."""
    line = document["influences"][0]
    source, target = line["from"], line["to"]
    activity = document["activities"][0]["id"]

    def weight(i: int) -> float:
        return round(0.1 + (i % 9) / 10, 2)

    def put_line(store: Store, m: AccountMap, rev: int, change: Change) -> int:
        return store.put_edge(m.account.id, m.influences[0], change, expected_revision=rev)

    def put_activity(store: Store, m: AccountMap, rev: int, change: Change) -> int:
        return store.put_activity(m.account.id, m.activities[0], change, expected_revision=rev)

    def put_voice(store: Store, m: AccountMap, rev: int, change: Change) -> int:
        return store.put_voice(m.account.id, m.voices[0], change, expected_revision=rev)

    return [
        (
            "line (influence weight)",
            lambda s, a, i: s.update_edge(a, EdgeKind.INFLUENCES, source, target, {"weight": weight(i)}),
            lambda s, a, i: whole_document_write(s, a, "influences", 0, {"weight": weight(i)}, put_line),
        ),
        (
            "activity (outcome)",
            lambda s, a, i: s.update_activity(a, activity, {"outcome": f"step {i}"}),
            lambda s, a, i: whole_document_write(s, a, "activities", 0, {"outcome": f"step {i}"}, put_activity),
        ),
        (
            "voice (owner)",
            lambda s, a, i: s.update_voice(a, "v1", {"owner": f"team {i}"}),
            lambda s, a, i: whole_document_write(s, a, "voices", 0, {"owner": f"team {i}"}, put_voice),
        ),
    ]


def bench_store(name: str, url: str, size: int, repeat: int) -> list[dict[str, Any]]:
    rows = []
    with open_store(url, Settings(import_batch_size=5_000)) as store:
        service = PowermapService(store, actor="bench", cache=MapCache())  # a long-lived process, as the API
        account = f"bench-items-{uuid.uuid4().hex[:8]}"
        document = voiced(synthetic_document(size, account_id=account))
        service.import_map(document)
        try:
            for kind, item_only, whole in edits(document):
                times: dict[str, list[float]] = {"item": [], "whole": []}
                step = 0
                for _ in range(BLOCKS):  # blocks in turns, so both paths see the same machine load
                    for path, call in (("item", item_only), ("whole", whole)):
                        # Untimed: the first write of a block finds the state the other path left (a
                        # whole-document write does not refresh the cache; an item-only one does).
                        call(service, account, step := step + 1)
                        for _ in range(repeat):
                            started = time.perf_counter()
                            call(service, account, step := step + 1)
                            times[path].append((time.perf_counter() - started) * 1000)
                item_ms, whole_ms = statistics.median(times["item"]), statistics.median(times["whole"])
                rows.append(
                    {
                        "store": name,
                        "size": size,
                        "write": kind,
                        "item_p50_ms": round(item_ms, 2),
                        "whole_p50_ms": round(whole_ms, 2),
                        "ratio": round(whole_ms / item_ms, 1),
                    }
                )
                print(f"{name} {size} {kind}: item {item_ms:.1f} ms, whole {whole_ms:.1f} ms", file=sys.stderr)
        finally:
            store.delete_account(account, Change("bench", "delete account"))
    return rows


def report(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| store | stakeholders | one write of | item-only p50 ms | whole-document p50 ms | whole / item |",
        "|---|---:|---|---:|---:|---:|",
    ]
    lines += [
        f"| {r['store']} | {r['size']} | {r['write']} | {r['item_p50_ms']:.1f} | {r['whole_p50_ms']:.1f} | "
        f"{r['ratio']:.1f} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="stakeholders in the account")
    parser.add_argument("--repeat", type=int, default=7, help="timed writes per block (3 blocks per path)")
    parser.add_argument("--neo4j", help="also on this Neo4j server (bolt://...)")
    parser.add_argument("--smoke", action="store_true", help="tiny and quick (CI): checks it runs, no timings")
    parser.add_argument("--json-out", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    size, repeat = (SMOKE_SIZE, 2) if args.smoke else (args.size, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        rows = bench_store("sqlite", f"sqlite:///{tmp}/bench.db", size, repeat)
    if args.neo4j:
        rows += bench_store("neo4j", args.neo4j, size, repeat)
    print(report(rows))
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
