"""Several processes writing one SQLite file at once through the service layer.

Editors add distinct stakeholders to one shared account (the service re-reads and retries when the
store reports a revision conflict), importers replace their own accounts over and over, and a reader
keeps reading the shared account meanwhile. Each worker is a fresh ``python -c`` process started
together behind a file barrier, so the writes really overlap. At the end every stakeholder is there
exactly once, the revision counts every write, the change log has one row per revision, SQLite says
the file is sound, and no worker raised.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from powermap.service import PowermapService
from powermap.store import open_store

EDITORS = 4
EDITS_EACH = 25
IMPORTERS = 2
IMPORTS_EACH = 12
SHARED = "shared"

WORKER = r"""
import json, sys, time, traceback
from pathlib import Path

role, url, name, count, barrier = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5])

from powermap.model import NodeKind, parse_account_map
from powermap.service import PowermapService
from powermap.store import open_store

report = {"name": name, "done": 0, "revisions": [], "errors": []}
with open_store(url) as store:
    service = PowermapService(store, actor=name)
    (barrier / f"ready-{name}").touch()
    deadline = time.monotonic() + 60
    while not (barrier / "go").exists():
        if time.monotonic() > deadline:
            report["errors"].append("never started")
            break
        time.sleep(0.002)
    if role == "edit":
        for i in range(count):
            data = {"id": f"{name}-s{i}", "name": f"{name} 第{i}号", "level": "staff", "influence": 0.1}
            try:
                service.put_node("shared", NodeKind.STAKEHOLDER, data)
                report["done"] += 1
            except Exception:
                report["errors"].append(traceback.format_exc())
    elif role == "import":
        for i in range(count):
            document = {
                "account": {"id": name, "name": f"Imported {name}", "notes": f"round {i}"},
                "team": [{"id": "li", "name": "Li", "role": "AR"}],
                "stakeholders": [
                    {"id": f"s{j}", "name": f"S{j}", "level": "staff", "influence": 0.2} for j in range(20 + i)
                ],
                "relationships": [{"member": "li", "stakeholder": "s0", "strength": 0.5}],
            }
            try:
                report["revisions"].append(service.import_map(document).revision)
                report["done"] += 1
            except Exception:
                report["errors"].append(traceback.format_exc())
    elif role == "read":
        while not (barrier / "stop").exists():
            try:
                snapshot = store.read("shared")
                document = snapshot.account_map.to_document()
                parse_account_map(document)
                ids = [s["id"] for s in document["stakeholders"]]
                if len(ids) != len(set(ids)):
                    report["errors"].append(f"duplicate stakeholders at revision {snapshot.revision}")
                if len(ids) != snapshot.revision:
                    report["errors"].append(f"{len(ids)} stakeholders at revision {snapshot.revision}")
                report["revisions"].append(snapshot.revision)
                report["done"] += 1
            except Exception:
                report["errors"].append(traceback.format_exc())
            time.sleep(0.005)
print(json.dumps(report))
sys.exit(1 if report["errors"] else 0)
"""


def _start(role: str, url: str, name: str, count: int, barrier: Path, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWERMAP_")}
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, role, url, name, str(count), str(barrier)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _report(name: str, process: subprocess.Popen[str], *, timeout_s: float) -> dict[str, Any]:
    """The JSON report a worker prints; a worker that died without one fails the test here."""
    out, err = process.communicate(timeout=timeout_s)
    try:
        report: dict[str, Any] = json.loads(out)
    except json.JSONDecodeError:
        raise AssertionError(f"{name} exited {process.returncode} without a report\n{out}\n{err}") from None
    assert process.returncode == (1 if report["errors"] else 0), f"{name} exited {process.returncode}\n{err}"
    return report


def _wait_for(paths: list[Path], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline, f"workers not ready: {[p.name for p in paths if not p.exists()]}"
        time.sleep(0.01)


def test_concurrent_editors_importers_and_a_reader_keep_one_sqlite_file_whole_and_every_write_counted(
    tmp_path: Path,
) -> None:
    db = tmp_path / "x.db"
    url = f"sqlite:///{db}"
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    with open_store(url) as store:
        PowermapService(store).import_map(
            {
                "account": {"id": SHARED, "name": "Shared 共享"},
                "stakeholders": [{"id": "root", "name": "Root", "level": "executive", "influence": 0.9}],
            }
        )

    workers: list[tuple[str, subprocess.Popen[str]]] = []
    names: list[str] = []
    for index in range(EDITORS):
        name = f"ed{index}"
        workers.append((name, _start("edit", url, name, EDITS_EACH, barrier, tmp_path)))
        names.append(name)
    for index in range(IMPORTERS):
        name = f"imp{index}"
        workers.append((name, _start("import", url, name, IMPORTS_EACH, barrier, tmp_path)))
        names.append(name)
    workers.append(("reader", _start("read", url, "reader", 0, barrier, tmp_path)))
    names.append("reader")

    reports: dict[str, dict[str, Any]] = {}
    try:
        _wait_for([barrier / f"ready-{n}" for n in names], timeout_s=60)
        started = time.monotonic()
        (barrier / "go").touch()
        for name, process in workers:
            if name == "reader":
                continue
            reports[name] = _report(name, process, timeout_s=120)
        elapsed = time.monotonic() - started
        (barrier / "stop").touch()
        reports["reader"] = _report("reader", workers[-1][1], timeout_s=60)
    finally:
        for _, process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()

    raised = {name: [e.strip().splitlines()[-1] for e in r["errors"]] for name, r in reports.items() if r["errors"]}
    assert raised == {}, f"workers raised (last line of each traceback): {raised}"
    edits = sum(reports[f"ed{i}"]["done"] for i in range(EDITORS))
    assert edits == EDITORS * EDITS_EACH
    for index in range(IMPORTERS):
        assert reports[f"imp{index}"]["revisions"] == list(range(1, IMPORTS_EACH + 1))
    seen = reports["reader"]["revisions"]
    assert seen, "the reader read nothing"
    assert seen == sorted(seen), "a reader went back in time"

    with open_store(url) as store:
        snapshot = store.read(SHARED)
        ids = [s.id for s in snapshot.account_map.stakeholders]
        assert sorted(ids) == sorted(["root", *(f"ed{e}-s{i}" for e in range(EDITORS) for i in range(EDITS_EACH))])
        assert len(ids) == len(set(ids))
        for editor in range(EDITORS):  # each editor's own additions keep their order
            mine = [i for i in ids if i.startswith(f"ed{editor}-")]
            assert mine == [f"ed{editor}-s{i}" for i in range(EDITS_EACH)]
        assert snapshot.revision == 1 + edits
        summaries = {s.id: s for s in store.list_accounts()}
        assert set(summaries) == {SHARED, *(f"imp{i}" for i in range(IMPORTERS))}
        for index in range(IMPORTERS):
            imported = store.get_map(f"imp{index}")
            assert summaries[f"imp{index}"].revision == IMPORTS_EACH
            assert imported.account.notes == f"round {IMPORTS_EACH - 1}"
            assert len(imported.stakeholders) == 20 + IMPORTS_EACH - 1

    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        revisions = [
            r
            for (r,) in connection.execute("SELECT revision FROM changes WHERE account_id = ? ORDER BY seq", (SHARED,))
        ]
        assert revisions == list(range(1, 2 + edits))
        orphans = connection.execute(
            "SELECT COUNT(*) FROM nodes WHERE account_id NOT IN (SELECT id FROM accounts)"
        ).fetchone()
        assert orphans == (0,)
    finally:
        connection.close()
    assert elapsed < 60, f"the writers took {elapsed:.1f} s"
