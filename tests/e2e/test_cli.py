"""End to end: the installed ``powermap`` console script, run in a subprocess against a real SQLite file.

Every test gets its own store (``sqlite:///{tmp_path}/x.db``) and runs the CLI with ``cwd=tmp_path``.
The expected numbers are computed here from the contract's fixed rules (DOMAIN.md: tie strength,
introduction paths, our/competitor strength, gaps, coverage), not by calling the product's analyses.
Seeding a store goes through the service layer in-process when the import itself is not under test,
to keep the file fast (each CLI start costs ~0.3 s).
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from html.parser import HTMLParser
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from powermap.service import PowermapService
from powermap.store import open_store

POWERMAP = Path(sys.executable).with_name("powermap")
SAMPLE_TEXT = resources.files("powermap").joinpath("samples", "acme.json").read_text("utf-8")
ACTIVITY_KINDS = {
    "ice_breaking",
    "attitude_turnaround",
    "relationship_upgrade",
    "executive_engagement",
    "summit",
    "site_visit",
    "topic_seminar",
    "competitor_block",
    "call",
    "meal",
    "message",
    "other",
}
LISTS = (
    "competitors",
    "team",
    "stakeholders",
    "reports_to",
    "influences",
    "relationships",
    "competitor_relationships",
    "activities",
    "voices",
)
#: The contract's optional fields and their defaults, per list: what an export fills in.
DEFAULTS: dict[str, dict[str, Any]] = {
    "account": {"industry": "", "notes": ""},
    "competitors": {"notes": ""},
    "team": {"title": "", "level": "middle"},
    "stakeholders": {"title": "", "department": "", "decision_role": "none", "stance": "neutral", "notes": ""},
    "reports_to": {},
    "influences": {},
    "relationships": {"last_contact": None},
    "competitor_relationships": {},
    "activities": {"members": [], "stakeholders": [], "outcome": "", "notes": ""},
    "voices": {
        "channel": "other",
        "activity": None,
        "category": "unscreened",
        "priority": None,
        "flow": "none",
        "owner": "",
        "status": "new",
        "roadmap": [],
        "closed_on": None,
        "satisfaction": None,
    },
}
MARKUP = "[bold]rich markup[/bold]"
SCRIPT = "<script>alert(1)</script>"


# --- running the CLI --------------------------------------------------------------------------------


def base_env(store: str | None = None) -> dict[str, str]:
    """The caller's environment without any POWERMAP_ setting, wide and UTF-8 so output is never cut."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWERMAP_")}
    env.update(COLUMNS="300", LINES="100", PYTHONUTF8="1", PYTHONIOENCODING="utf-8", NO_COLOR="1")
    if store is not None:
        env["POWERMAP_STORE"] = store
    return env


def run(*args: str | Path, cwd: Path, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script; never raises on a non-zero exit."""
    return subprocess.run(
        [str(POWERMAP), *(str(a) for a in args)],
        cwd=cwd,
        env=dict(env if env is not None else base_env()),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
        assert "unexpected error" not in stream, stream


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """Assert the command succeeded cleanly."""
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    no_traceback(result)
    return result


def fails(result: subprocess.CompletedProcess[str], *codes: int) -> str:
    """Assert the command failed with one of ``codes`` and one readable error; return its stderr."""
    assert result.returncode in codes, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    no_traceback(result)
    assert result.stderr.startswith("powermap: "), result.stderr
    assert result.stderr.count("powermap: ") == 1, result.stderr
    return result.stderr


def as_json(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(result).stdout)


class CLI:
    """The CLI bound to one test's directory and store (given by POWERMAP_STORE unless told otherwise)."""

    def __init__(self, tmp_path: Path) -> None:
        self.cwd = tmp_path
        self.db = tmp_path / "x.db"
        self.store = f"sqlite:///{self.db}"

    def __call__(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return run(*args, cwd=self.cwd, env=base_env(self.store))

    def seed(self, document: Mapping[str, Any]) -> None:
        """Store a map through the service layer (fast; for tests where the import is not the subject)."""
        with open_store(self.store) as store:
            PowermapService(store).import_map(dict(document))

    def write(self, name: str, document: Any) -> Path:
        path = self.cwd / name
        if name.endswith((".yaml", ".yml")):
            path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            path.write_text(canonical(document), encoding="utf-8")
        return path

    def accounts(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = as_json(self("accounts", "--json"))
        return found


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    return CLI(tmp_path)


@pytest.fixture
def acme_cli(cli: CLI) -> CLI:
    """A CLI whose store already holds the bundled sample account."""
    cli.seed(sample())
    return cli


# --- documents --------------------------------------------------------------------------------------


def sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SAMPLE_TEXT)
    return document


def canonical(document: Any) -> str:
    """The text ``powermap export`` prints for a document (JSON, 2-space indent, raw UTF-8)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def normalized(document: Mapping[str, Any]) -> dict[str, Any]:
    """A contract document with every optional field at its default, as an export gives it back."""
    result: dict[str, Any] = {
        "format": "powermap/v1",
        "account": {**DEFAULTS["account"], **document["account"]},
    }
    for name in LISTS:
        result[name] = [{**DEFAULTS[name], **item} for item in document.get(name, [])]
    return result


def minimal() -> dict[str, Any]:
    """A small map that leaves out every optional field."""
    return {
        "account": {"id": "mini", "name": "Mini Corp"},
        "competitors": [{"id": "rival", "name": "Rival"}],
        "team": [{"id": "li", "name": "Li", "role": "AR"}],
        "stakeholders": [
            {"id": "ceo", "name": "Chen", "level": "executive", "decision_role": "decision_maker", "influence": 0.9},
            {"id": "cto", "name": "Wang", "level": "senior", "influence": 0.6, "stance": "supporter"},
        ],
        "reports_to": [{"from": "cto", "to": "ceo"}],
        "influences": [{"from": "cto", "to": "ceo", "weight": 0.7}],
        "relationships": [{"member": "li", "stakeholder": "cto", "strength": 0.8}],
        "competitor_relationships": [{"competitor": "rival", "stakeholder": "ceo", "strength": 0.6}],
        "activities": [{"id": "a1", "type": "call", "date": "2026-09-12"}],
    }


def hostile() -> dict[str, Any]:
    """A complete (already normalized) map whose text and ids look like markup, code and paths."""
    boss, cto, member, rival = 'ceo//"boss"', "[bold]cto[/bold]", "m'e\"m`", "riv`al}"
    return {
        "format": "powermap/v1",
        "account": {
            "id": "acc'\"`}//x",
            "name": f'客户 "引号" {MARKUP} {SCRIPT}',
            "industry": "汽车 & 'quotes'",
            "notes": f"备注 {SCRIPT} {MARKUP} back\\slash\\ </script> \u2028 tab\tend",
        },
        "competitors": [{"id": rival, "name": f"对手 {MARKUP}", "notes": SCRIPT}],
        "team": [{"id": member, "name": f"我们 {MARKUP}", "role": "AR", "title": '经理 "AD"', "level": "middle"}],
        "stakeholders": [
            {
                "id": boss,
                "name": f"陈伟 {MARKUP} {SCRIPT}",
                "title": "总裁 'CEO'",
                "department": "董事会 {}",
                "level": "executive",
                "decision_role": "decision_maker",
                "influence": 0.9,
                "stance": "skeptic",
                "notes": f"笔记 {SCRIPT} -- ; DROP TABLE nodes; --",
            },
            {
                "id": cto,
                "name": f"李强 {MARKUP}",
                "title": "CTO",
                "department": "IT",
                "level": "senior",
                "decision_role": "technical_evaluator",
                "influence": 0.6,
                "stance": "supporter",
                "notes": "",
            },
        ],
        "reports_to": [{"from": cto, "to": boss}],
        "influences": [{"from": cto, "to": boss, "weight": 0.7}],
        "relationships": [{"member": member, "stakeholder": cto, "strength": 0.8, "last_contact": "2026-10-01"}],
        "competitor_relationships": [{"competitor": rival, "stakeholder": boss, "strength": 0.9}],
        "activities": [
            {
                "id": "a`1'}",
                "type": "meal",
                "date": "2026-09-12",
                "members": [member],
                "stakeholders": [cto],
                "outcome": f"结果 {MARKUP}",
                "notes": SCRIPT,
            }
        ],
        "voices": [
            {
                "id": "v`1'}<b>",
                "stakeholder": boss,
                "date": "2026-09-12",
                "channel": "meal",
                "activity": "a`1'}",
                "text": f"痛点 {MARKUP} {SCRIPT} -- ; DROP TABLE voices; --",
                "category": "pain",
                "priority": 1,
                "flow": "ITR",
                "owner": f"研发 {SCRIPT}",
                "status": "in_progress",
                "roadmap": [],
                "closed_on": None,
                "satisfaction": None,
            }
        ],
    }


# --- the contract's fixed rules, computed independently ---------------------------------------------


def ours(document: Mapping[str, Any]) -> dict[str, float]:
    strength = {s["id"]: 0.0 for s in document["stakeholders"]}
    for r in document["relationships"]:
        strength[r["stakeholder"]] = max(strength[r["stakeholder"]], r["strength"])
    return strength


def theirs(document: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    strength: dict[str, dict[str, float]] = {s["id"]: {} for s in document["stakeholders"]}
    for r in document["competitor_relationships"]:
        by = strength[r["stakeholder"]]
        by[r["competitor"]] = max(by.get(r["competitor"], 0.0), r["strength"])
    return strength


def ties(document: Mapping[str, Any]) -> dict[frozenset[str], float]:
    tie: dict[frozenset[str], float] = {}
    for i in document["influences"]:
        key = frozenset((i["from"], i["to"]))
        tie[key] = max(tie.get(key, 0.0), i["weight"])
    for r in document["reports_to"]:
        key = frozenset((r["from"], r["to"]))
        tie[key] = max(tie.get(key, 0.0), 0.5)
    return tie


def path_strength(document: Mapping[str, Any], nodes: Sequence[str]) -> float:
    """Strength of an introduction path by the contract: relationship, then stakeholder ties."""
    first: float = max(
        r["strength"] for r in document["relationships"] if r["member"] == nodes[0] and r["stakeholder"] == nodes[1]
    )
    tie = ties(document)
    return first * math.prod(tie[frozenset(pair)] for pair in pairwise(nodes[1:]))


def best_strength(document: Mapping[str, Any], target: str, member: str | None = None) -> float:
    """The best introduction-path strength to ``target`` (max-product Dijkstra over stakeholders)."""
    neighbours: dict[str, list[tuple[str, float]]] = {}
    for pair, weight in ties(document).items():
        a, b = sorted(pair)
        neighbours.setdefault(a, []).append((b, weight))
        neighbours.setdefault(b, []).append((a, weight))
    best: dict[str, float] = {}
    for r in document["relationships"]:
        if member is None or r["member"] == member:
            best[r["stakeholder"]] = max(best.get(r["stakeholder"], 0.0), r["strength"])
    queue = [(-value, node) for node, value in best.items()]
    heapq.heapify(queue)
    done: set[str] = set()
    while queue:
        negative, node = heapq.heappop(queue)
        if node in done:
            continue
        done.add(node)
        for other, weight in neighbours.get(node, []):
            value = -negative * weight
            if value > best.get(other, -1.0):
                best[other] = value
                heapq.heappush(queue, (-value, other))
    return best.get(target, 0.0)


# --- import -----------------------------------------------------------------------------------------


def test_importing_a_json_map_reports_account_revision_and_counts_and_a_second_import_bumps_the_revision(
    cli: CLI,
) -> None:
    source = cli.write("acme.json", sample())
    document = sample()

    first = ok(cli("import", source))
    assert "'acme'" in first.stdout
    assert "revision 1" in first.stdout
    assert f"{len(document['stakeholders'])} stakeholders" in first.stdout

    second = as_json(cli("import", source, "--json"))
    assert set(second) == {"account", "revision", "counts", "changed", "changes"}
    assert second["account"] == "acme"
    assert second["revision"] == 1  # identical content: nothing written, the revision stays
    assert second["changed"] is False
    assert second["counts"] == {name: len(document.get(name, [])) for name in LISTS}
    assert [a["revision"] for a in cli.accounts()] == [1]

    document["stakeholders"][0]["stance"] = "opponent"
    third = ok(cli("import", cli.write("acme2.json", document)))
    assert "revision 2" in third.stdout
    assert "1 stakeholder changed" in third.stdout
    assert "nothing changed" in ok(cli("import", "acme2.json")).stdout


def test_importing_a_yaml_map_stores_the_same_map_as_its_json_twin(cli: CLI) -> None:
    source = cli.write("acme.yaml", sample())

    result = as_json(cli("import", source, "--json"))

    assert result["account"] == "acme"
    assert result["revision"] == 1
    assert json.loads(ok(cli("export", "acme")).stdout) == normalized(sample())


@pytest.mark.parametrize("document", [sample(), minimal()], ids=["sample", "minimal"])
def test_import_export_import_is_lossless_and_the_export_is_the_normalized_input(
    cli: CLI, document: dict[str, Any]
) -> None:
    account = document["account"]["id"]
    ok(cli("import", cli.write("in.json", document)))
    first = ok(cli("export", account)).stdout
    assert json.loads(first) == normalized(document)

    (cli.cwd / "out.json").write_text(first, encoding="utf-8")
    assert as_json(cli("import", "out.json", "--json"))["revision"] == 1  # the same map: nothing to write
    assert ok(cli("export", account)).stdout == first


def test_export_to_a_yaml_file_round_trips_through_import(acme_cli: CLI) -> None:
    wrote = ok(acme_cli("export", "acme", "-o", "acme.yaml"))
    assert "acme.yaml" in wrote.stderr
    assert wrote.stdout == ""
    exported = yaml.safe_load((acme_cli.cwd / "acme.yaml").read_text(encoding="utf-8"))
    assert exported == normalized(sample())

    ok(acme_cli("delete", "acme"))
    assert as_json(acme_cli("import", "acme.yaml", "--json"))["account"] == "acme"
    assert json.loads(ok(acme_cli("export", "acme")).stdout) == normalized(sample())


def test_export_with_o_writes_the_same_document_it_prints_on_stdout(acme_cli: CLI) -> None:
    printed = ok(acme_cli("export", "acme")).stdout
    ok(acme_cli("export", "acme", "-o", "deep/dir/acme.json"))

    assert (acme_cli.cwd / "deep" / "dir" / "acme.json").read_text(encoding="utf-8") == printed
    assert not list((acme_cli.cwd / "deep" / "dir").glob(".*partial"))


def test_import_of_a_map_with_a_dangling_reference_exits_2_names_it_and_stores_nothing(cli: CLI) -> None:
    document = sample()
    index = len(document["reports_to"])
    document["reports_to"].append({"from": "cfo", "to": "ghost"})

    message = fails(cli("import", cli.write("bad.json", document)), 2)

    assert f"reports_to[{index}].to" in message
    assert "'ghost'" in message
    assert cli.accounts() == []


def test_a_refused_reimport_of_an_existing_account_leaves_its_export_byte_identical(acme_cli: CLI) -> None:
    before = ok(acme_cli("export", "acme")).stdout
    accounts_before = acme_cli.accounts()
    document = sample()
    document["account"]["name"] = "Renamed"
    document["stakeholders"].append({"id": "new", "name": "New", "level": "staff", "influence": 0.2})
    document["influences"].append({"from": "new", "to": "ghost", "weight": 0.3})
    index = len(document["influences"]) - 1

    message = fails(acme_cli("import", acme_cli.write("bad.json", document), "--json"), 2)

    assert f"influences[{index}].to" in message
    assert "'ghost'" in message
    assert ok(acme_cli("export", "acme")).stdout == before
    assert acme_cli.accounts() == accounts_before


@pytest.mark.parametrize(
    ("where", "path", "item"),
    [
        ("stakeholders", "stakeholders[3].influence", "'strat_vp'"),
        ("influences", "influences[2].weight", "from 'coo' to 'ceo'"),
    ],
    ids=["stakeholder-influence", "influence-weight"],
)
def test_import_with_a_number_above_1_exits_2_naming_the_field_path_and_the_id(
    cli: CLI, where: str, path: str, item: str
) -> None:
    document = sample()
    if where == "stakeholders":
        assert document["stakeholders"][3]["id"] == "strat_vp"
        document["stakeholders"][3]["influence"] = 1.5
    else:
        assert (document["influences"][2]["from"], document["influences"][2]["to"]) == ("coo", "ceo")
        document["influences"][2]["weight"] = 1.5

    message = fails(cli("import", cli.write("bad.json", document)), 2)

    assert path in message
    assert item in message
    assert "1.5" in message
    assert cli.accounts() == []


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("broken.json", '{"account": {"id": "x",\n  "name": }\n}\n', ["broken.json", "line 2 column 11"]),
        ("broken.yaml", "account: [unclosed\nteam: {\n", ["broken.yaml", "YAML"]),
        ("list.json", "[1, 2, 3]\n", ["object"]),
        ("missing.json", None, ["missing.json"]),
    ],
    ids=["malformed-json", "malformed-yaml", "not-an-object", "missing-file"],
)
def test_import_of_an_unreadable_file_exits_2_with_a_readable_message(
    cli: CLI, name: str, text: str | None, expected: list[str]
) -> None:
    if text is not None:
        (cli.cwd / name).write_text(text, encoding="utf-8")

    message = fails(cli("import", name), 2)

    for part in expected:
        assert part in message
    assert not cli.db.exists() or cli.accounts() == []


# --- export, accounts, delete, db init ------------------------------------------------------------


def test_export_of_an_unknown_account_exits_3_and_names_it(acme_cli: CLI) -> None:
    message = fails(acme_cli("export", "nope"), 3)
    assert "'nope'" in message
    assert not (acme_cli.cwd / "out.json").exists()
    fails(acme_cli("export", "nope", "-o", "out.json"), 3)
    assert not (acme_cli.cwd / "out.json").exists()


def test_accounts_lists_every_account_with_the_contract_fields_as_json_and_as_a_table(acme_cli: CLI) -> None:
    acme_cli.seed(minimal())

    listed = acme_cli.accounts()

    assert [a["id"] for a in listed] == ["acme", "mini"]
    for entry in listed:
        assert set(entry) == {"id", "name", "industry", "stakeholders", "revision", "updated_at"}
    acme, mini = listed
    assert acme["name"] == sample()["account"]["name"]
    assert acme["industry"] == "automotive"
    assert acme["stakeholders"] == len(sample()["stakeholders"])
    assert acme["revision"] == 1
    assert mini == {**mini, "name": "Mini Corp", "industry": "", "stakeholders": 2, "revision": 1}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)", acme["updated_at"])

    table = ok(acme_cli("accounts")).stdout
    assert sample()["account"]["name"] in table
    assert "Mini Corp" in table
    assert "acme" in table


def test_accounts_on_an_empty_store_says_so_and_json_is_an_empty_list(cli: CLI) -> None:
    ok(cli("db", "init"))
    assert "no accounts yet" in ok(cli("accounts")).stdout
    assert cli.accounts() == []


def test_delete_removes_the_account_so_export_exits_3_and_a_second_delete_exits_3(acme_cli: CLI) -> None:
    acme_cli.seed(minimal())

    deleted = ok(acme_cli("delete", "acme"))

    assert "acme" in deleted.stdout
    fails(acme_cli("export", "acme"), 3)
    assert [a["id"] for a in acme_cli.accounts()] == ["mini"]
    assert "'acme'" in fails(acme_cli("delete", "acme"), 3)


def test_db_init_creates_an_empty_store_and_is_idempotent(cli: CLI) -> None:
    first = ok(cli("db", "init"))
    assert cli.store in first.stdout
    assert cli.db.exists()
    ok(cli("db", "init", "--store", cli.store))
    assert cli.accounts() == []


def test_the_store_option_and_the_environment_variable_name_the_same_store(cli: CLI) -> None:
    env = base_env()
    ok(run("import", cli.write("mini.json", minimal()), "--store", cli.store, cwd=cli.cwd, env=env))

    assert [a["id"] for a in cli.accounts()] == ["mini"]
    assert not (cli.cwd / "powermap.db").exists()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_unknown_store_scheme_exits_with_a_readable_message_and_no_traceback(cli: CLI, how: str) -> None:
    if how == "option":
        result = run("accounts", "--store", "foo://x", cwd=cli.cwd, env=base_env())
    else:
        result = run("accounts", cwd=cli.cwd, env=base_env("foo://x"))

    message = fails(result, 1, 2)

    assert "'foo://x'" in message
    assert "sqlite:///" in message
    assert list(cli.cwd.iterdir()) == []


# --- analyses -----------------------------------------------------------------------------------------


def test_analyze_json_gives_power_coverage_gaps_and_forecast_as_the_contract_defines_them(acme_cli: CLI) -> None:
    document = sample()

    report = as_json(acme_cli("analyze", "acme", "--json"))

    assert {"account", "power", "coverage", "gaps", "forecast"} <= set(report)
    assert report["account"] == "acme"
    power: dict[str, float] = report["power"]
    assert set(power) == {s["id"] for s in document["stakeholders"]}
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in power.values())
    assert list(power.values()) == sorted(power.values(), reverse=True)

    our = ours(document)
    held = sum(p for s, p in power.items() if our[s] >= 0.5)
    assert isinstance(report["coverage"], float)
    assert 0.0 <= report["coverage"] <= 1.0
    assert report["coverage"] == pytest.approx(held / sum(power.values()), abs=1e-5)

    expected_gaps = {}
    for stakeholder, by in theirs(document).items():
        if by and max(by.values()) > our[stakeholder]:
            expected_gaps[stakeholder] = (max(by.values()), our[stakeholder], by)
    assert report["gaps"], "the sample has competitor gaps"
    assert {g["stakeholder"] for g in report["gaps"]} == set(expected_gaps)
    for gap in report["gaps"]:
        assert set(gap) == {"stakeholder", "competitor", "ours", "theirs", "gap"}
        top, mine, by = expected_gaps[gap["stakeholder"]]
        assert gap["gap"] > 0
        assert gap["gap"] == pytest.approx(gap["theirs"] - gap["ours"], abs=1e-6)
        assert gap["theirs"] == pytest.approx(top, abs=1e-6)
        assert gap["ours"] == pytest.approx(mine, abs=1e-6)
        assert by[gap["competitor"]] == pytest.approx(top, abs=1e-6)

    forecast = report["forecast"]
    assert isinstance(forecast, dict)
    assert -1.0 <= forecast["support_index"] <= 1.0


def test_analyze_prints_the_top_stakeholder_coverage_and_forecast_for_people(acme_cli: CLI) -> None:
    top = next(iter(as_json(acme_cli("analyze", "acme", "--json"))["power"]))

    text = ok(acme_cli("analyze", "acme")).stdout

    power_table = text.split("Who holds the power", 1)[1].split("coverage", 1)[0]
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in power_table.splitlines() if line[:1] == "│"]
    assert rows, text
    names = {s["id"]: s for s in sample()["stakeholders"]}
    assert rows[0][:4] == ["1", f"{names[top]['name']} ★", names[top]["title"], top]  # ★: a decision maker
    assert re.fullmatch(r"\d\.\d{3}", rows[0][-1])
    assert "coverage" in text
    assert "support index" in text
    for meaning in ("power (0-1):", "coverage: share of", "favourable from +0.2", "★ decision maker"):
        assert meaning in text


def test_analyze_of_an_unknown_account_exits_3(acme_cli: CLI) -> None:
    assert "'nope'" in fails(acme_cli("analyze", "nope", "--json"), 3)


def test_paths_json_lists_the_best_paths_first_from_a_team_member_to_the_target(acme_cli: CLI) -> None:
    document = sample()
    team = {m["id"] for m in document["team"]}
    stakeholders = {s["id"] for s in document["stakeholders"]}

    report = as_json(acme_cli("paths", "acme", "--to", "ceo", "-k", "3", "--json"))

    assert set(report) == {"account", "target", "paths"}
    assert (report["account"], report["target"]) == ("acme", "ceo")
    paths = report["paths"]
    assert 1 <= len(paths) <= 3
    for path in paths:
        assert set(path) == {"strength", "nodes"}
        nodes = path["nodes"]
        assert nodes[0] in team
        assert nodes[-1] == "ceo"
        assert set(nodes[1:]) <= stakeholders
        assert len(set(nodes)) == len(nodes)
        assert path["strength"] == pytest.approx(path_strength(document, nodes), abs=1e-6)
    strengths = [p["strength"] for p in paths]
    assert strengths == sorted(strengths, reverse=True)
    assert strengths[0] == pytest.approx(best_strength(document, "ceo"), abs=1e-6)

    text = ok(acme_cli("paths", "acme", "--to", "ceo", "-k", "1")).stdout
    line = next(line for line in text.splitlines() if line.startswith("1. "))
    assert re.findall(r"\(([a-z_]+)[,)]", line) == paths[0]["nodes"]  # each stop's id, in order
    hops = [float(h) for h in re.findall(r"-(\d\.\d\d)->", line)]
    assert len(hops) == len(paths[0]["nodes"]) - 1
    assert math.prod(hops) == pytest.approx(paths[0]["strength"], abs=0.02)


def test_paths_from_a_member_only_starts_there(acme_cli: CLI) -> None:
    document = sample()

    report = as_json(acme_cli("paths", "acme", "--to", "ceo", "--from", "ho", "-k", "5", "--json"))

    assert report["paths"]
    assert all(p["nodes"][0] == "ho" and p["nodes"][-1] == "ceo" for p in report["paths"])
    assert all(p["nodes"].count("ho") == 1 for p in report["paths"])
    assert report["paths"][0]["strength"] == pytest.approx(best_strength(document, "ceo", "ho"), abs=1e-6)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--to", "nobody"], "stakeholder with id 'nobody'"),
        (["--to", "ceo", "--from", "stranger"], "team member with id 'stranger'"),
        (["--to", "ceo", "--from", "cfo"], "'cfo'"),
    ],
    ids=["unknown-stakeholder", "unknown-member", "stakeholder-as-member"],
)
def test_paths_naming_someone_unknown_exits_3_and_names_them(acme_cli: CLI, args: list[str], named: str) -> None:
    assert named in fails(acme_cli("paths", "acme", *args, "--json"), 3)


def test_recommend_json_gives_at_most_limit_ranked_activities_of_the_contract_kinds(acme_cli: CLI) -> None:
    document = sample()
    team = {m["id"] for m in document["team"]}
    stakeholders = {s["id"] for s in document["stakeholders"]}

    report = as_json(acme_cli("recommend", "acme", "--limit", "4", "--json"))

    assert {"account", "recommendations"} <= set(report)
    assert report["account"] == "acme"
    recommendations = report["recommendations"]
    assert 1 <= len(recommendations) <= 4
    for rec in recommendations:
        assert {"activity", "target", "lead", "path", "reason", "expected_gain"} <= set(rec)
        assert rec["activity"] in ACTIVITY_KINDS
        assert rec["target"] in stakeholders
        assert rec["lead"] is None or rec["lead"] in team
        assert isinstance(rec["reason"], str)
        assert rec["reason"].strip()
        assert isinstance(rec["path"], list)
        if rec["path"]:
            assert rec["path"][0] in team
            assert rec["path"][-1] == rec["target"]
        assert rec["expected_gain"] >= 0
    gains = [r["expected_gain"] for r in recommendations]
    assert gains == sorted(gains, reverse=True)

    one = as_json(acme_cli("recommend", "acme", "--limit", "1", "--json"))["recommendations"]
    assert one == recommendations[:1]

    text = ok(acme_cli("recommend", "acme", "--limit", "2")).stdout
    assert "What to do next" in text
    first = recommendations[0]
    names = {s["id"]: s["name"] for s in sample()["stakeholders"]}
    assert f"{first['activity']} with {names[first['target']]} ({first['target']}, " in text
    assert recommendations[0]["reason"] in text


# --- map and demo ---------------------------------------------------------------------------------------


class _DataScript(HTMLParser):
    """The text of the page's ``<script type="application/json">`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and ("type", "application/json") in attrs
        if self.inside:
            self.found.append("")

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.found[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self.inside = False


def embedded_payloads(page: str) -> Iterator[Any]:
    parser = _DataScript()
    parser.feed(page)
    for text in parser.found:
        yield json.loads(text)


def assert_offline_html(page: str) -> None:
    assert "<html" in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, flags=re.IGNORECASE)


def test_map_writes_one_offline_html_file_with_the_best_path_highlighted(acme_cli: CLI) -> None:
    best = as_json(acme_cli("paths", "acme", "--to", "ceo", "-k", "1", "--json"))["paths"][0]["nodes"]

    wrote = ok(acme_cli("map", "acme", "-o", "maps/acme.html", "--highlight-path-to", "ceo"))

    assert "maps/acme.html" in wrote.stdout
    page = (acme_cli.cwd / "maps" / "acme.html").read_text(encoding="utf-8")
    assert_offline_html(page)
    assert sample()["account"]["name"] in page
    paths = [p["path"] for p in embedded_payloads(page) if isinstance(p, dict) and "path" in p]
    if paths:  # the renderer's data island, when it has one
        assert len(paths[0]) == len(best)

    ok(acme_cli("map", "acme", "-o", "plain.html"))
    assert_offline_html((acme_cli.cwd / "plain.html").read_text(encoding="utf-8"))


def test_map_draws_the_relationships_the_analysis_calls_fading_and_marks_open_pains(acme_cli: CLI) -> None:
    report = as_json(acme_cli("analyze", "acme", "--json"))
    ok(acme_cli("map", "acme", "-o", "marks.html"))
    data = next(p for p in embedded_payloads((acme_cli.cwd / "marks.html").read_text(encoding="utf-8")) if "edges" in p)
    drawn = {(e["from"], e["to"]) for e in data["edges"] if e["kind"] == "relationship" and e["fading"]}
    listed = {(f"member:{f['member']}", f"stakeholder:{f['stakeholder']}") for f in report["fading"]}
    assert listed, "the sample has relationships last met months ago"
    assert drawn == listed, "the map draws exactly the relationships analyze lists as fading, on the same day"
    assert [(f["member"], f["stakeholder"]) for f in data["fading"]] == [
        (f["member"], f["stakeholder"]) for f in report["fading"]
    ]
    assert data["voiceLoop"] == report["voice_loop"], "the loop's summary, as analyze gives it"


def test_map_highlighting_an_unknown_stakeholder_exits_3_and_writes_nothing(acme_cli: CLI) -> None:
    assert "'ghost'" in fails(acme_cli("map", "acme", "-o", "m.html", "--highlight-path-to", "ghost"), 3)
    assert not (acme_cli.cwd / "m.html").exists()
    fails(acme_cli("map", "nope", "-o", "m.html"), 3)
    assert not (acme_cli.cwd / "m.html").exists()


def test_demo_in_a_fresh_directory_shows_power_a_path_and_recommendations_and_writes_map_and_db(
    tmp_path: Path,
) -> None:
    env = base_env()  # no POWERMAP_STORE: the default store is ./powermap.db

    first = ok(run("demo", cwd=tmp_path, env=env))

    text = first.stdout
    assert "Who holds the power" in text
    assert "ceo" in text.split("Who holds the power", 1)[1]
    assert re.search(r"^\s+1\. \d\.\d{3}  .+ \(\w+, \w+\)( -\d\.\d\d-> .+ \(\w+\)( ★)?)+$", text, flags=re.MULTILINE), (
        text
    )
    assert "What to do next" in text
    assert any(f"{kind} with " in text for kind in ACTIVITY_KINDS)
    assert "powermap-demo.html" in text
    assert (tmp_path / "powermap.db").is_file()
    assert_offline_html((tmp_path / "powermap-demo.html").read_text(encoding="utf-8"))

    second = ok(run("demo", cwd=tmp_path, env=env))
    assert "What to do next" in second.stdout
    listed = as_json(run("accounts", "--json", cwd=tmp_path, env=env))
    assert [(a["id"], a["revision"]) for a in listed] == [("acme", 1)]  # the same sample again: no change
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("powermap.db-")) == [
        "powermap-demo.html",
        "powermap.db",
    ]


# --- hostile text -------------------------------------------------------------------------------------


def test_unicode_quotes_script_and_markup_in_text_and_ids_round_trip_byte_for_byte(cli: CLI) -> None:
    document = hostile()
    account = document["account"]["id"]
    source = cli.write("hostile.json", document)

    assert as_json(cli("import", source, "--json"))["account"] == account
    exported = ok(cli("export", account)).stdout

    assert exported == source.read_text(encoding="utf-8")
    assert json.loads(exported) == document

    ok(cli("export", account, "-o", "hostile.yaml"))
    assert yaml.safe_load((cli.cwd / "hostile.yaml").read_text(encoding="utf-8")) == document
    ok(cli("import", "hostile.yaml"))
    assert ok(cli("export", account)).stdout == exported


def test_human_output_shows_markup_like_text_literally(cli: CLI) -> None:
    document = hostile()
    account = document["account"]["id"]
    boss, cto = document["stakeholders"][0]["id"], document["stakeholders"][1]["id"]
    cli.seed(document)

    listing = ok(cli("accounts")).stdout
    assert document["account"]["name"] in listing
    assert account in listing

    analysis = ok(cli("analyze", account)).stdout
    assert cto in analysis
    for stakeholder in document["stakeholders"]:  # names, where printed, are printed raw
        given = stakeholder["name"].split(" ", 1)[0]
        assert given not in analysis or stakeholder["name"] in analysis, analysis
    assert "rich markup" not in analysis.replace(MARKUP, "")
    assert f"({boss}, " in analysis
    assert "leans" in analysis

    paths = ok(cli("paths", account, "--to", boss)).stdout
    for node in as_json(cli("paths", account, "--to", boss, "--json"))["paths"][0]["nodes"]:
        assert f"({node}" in paths
    assert cto in paths

    advice = as_json(cli("recommend", account, "--json"))["recommendations"]
    assert advice
    text = ok(cli("recommend", account)).stdout
    for rec in advice:
        assert rec["reason"] in text
        assert f"{rec['activity']} with " in text
        assert f"({rec['target']}, " in text
    assert MARKUP in text

    report = as_json(cli("analyze", account, "--json"))
    assert report["account"] == account
    assert set(report["power"]) == {boss, cto}


# --- the edge of the CLI --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["paths", "acme"], ["no-such-command"], ["paths", "acme", "--to", "ceo", "-k", "0"], ["accounts", "--bogus"]],
    ids=["missing-option", "unknown-command", "out-of-range", "unknown-option"],
)
def test_a_usage_error_exits_2_with_a_usage_message(acme_cli: CLI, args: list[str]) -> None:
    result = acme_cli(*args)
    assert result.returncode == 2, result.stderr
    no_traceback(result)


def test_export_and_map_report_an_output_path_with_brackets_literally(acme_cli: CLI) -> None:
    (acme_cli.cwd / "out[").mkdir()
    exported = acme_cli("export", "acme", "-o", "out[/b].json")
    assert (acme_cli.cwd / "out[" / "b].json").is_file()
    assert exported.returncode == 0, exported.stderr
    mapped = ok(acme_cli("map", "acme", "-o", "[bold]map.html"))
    assert "[bold]map.html" in mapped.stdout


def test_running_without_a_command_prints_help_and_no_error(cli: CLI) -> None:
    result = cli()
    assert result.returncode in {0, 2}, result.stderr
    no_traceback(result)
    assert "Usage" in result.stdout + result.stderr
