"""End to end: ``powermap whatif`` and the sharper ``paths`` options, run as the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

POWERMAP = Path(sys.executable).with_name("powermap")
SAMPLE_TEXT = resources.files("powermap").joinpath("samples", "acme.json").read_text("utf-8")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(POWERMAP), *args, "--store", f"sqlite:///{tmp_path}/x.db"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def seeded(tmp_path: Path) -> Path:
    sample = tmp_path / "acme.json"
    sample.write_text(SAMPLE_TEXT, encoding="utf-8")
    assert run(tmp_path, "import", str(sample)).returncode == 0
    return sample


def test_whatif_from_a_yaml_plan_reports_before_after_and_delta_and_stores_nothing(tmp_path: Path) -> None:
    seeded(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "format: powermap-plan/v1\n"
        "steps:\n"
        "  - put: {stakeholders: [{id: cfo, stance: supporter}]}\n"
        "  - remove: {stakeholders: [legal]}\n"
        "  - activity: {type: ice_breaking, members: [zhang], stakeholders: [coo]}\n",
        encoding="utf-8",
    )
    exported_before = run(tmp_path, "export", "acme").stdout
    done = run(tmp_path, "whatif", "acme", str(plan), "--json")
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    assert set(report) == {"account", "before", "after", "delta"}
    assert report["before"] == json.loads(run(tmp_path, "analyze", "acme", "--json").stdout)
    assert "legal" not in report["after"]["power"]
    assert report["delta"]["support_index"] == round(
        report["after"]["forecast"]["support_index"] - report["before"]["forecast"]["support_index"], 6
    )
    assert run(tmp_path, "export", "acme").stdout == exported_before
    human = run(tmp_path, "whatif", "acme", str(plan))
    assert human.returncode == 0
    assert "nothing stored" in human.stdout
    assert "support index" in human.stdout


def test_a_broken_plan_exits_2_naming_every_problem(tmp_path: Path) -> None:
    seeded(tmp_path)
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "format": "powermap-plan/v1",
                "steps": [
                    {"put": {"stakeholders": [{"id": "cfo", "stance": "friend"}]}},
                    {"activity": {"type": "site_visit", "members": ["nobody"], "stakeholders": ["cio"]}},
                ],
            }
        ),
        encoding="utf-8",
    )
    done = run(tmp_path, "whatif", "acme", str(plan))
    assert done.returncode == 2
    assert "the plan has 2 problems" in done.stderr
    assert "steps[0].put.stakeholders[0].stance ('cfo')" in done.stderr
    assert "steps[1].activity.members[0]: no team member has id 'nobody'" in done.stderr
    assert "Traceback" not in done.stderr


def test_paths_avoid_max_hops_and_disjoint_from_the_command_line(tmp_path: Path) -> None:
    seeded(tmp_path)
    plain = json.loads(run(tmp_path, "paths", "acme", "--to", "ceo", "-k", "3", "--json").stdout)["paths"]
    first_middle = plain[0]["nodes"][1]
    avoided = run(tmp_path, "paths", "acme", "--to", "ceo", "--avoid", first_middle, "-k", "5", "--json")
    assert avoided.returncode == 0
    assert all(first_middle not in p["nodes"][1:-1] for p in json.loads(avoided.stdout)["paths"])
    short = json.loads(run(tmp_path, "paths", "acme", "--to", "ceo", "--max-hops", "2", "-k", "9", "--json").stdout)
    assert all(len(p["nodes"]) <= 3 for p in short["paths"])
    disjoint = json.loads(run(tmp_path, "paths", "acme", "--to", "ceo", "--disjoint", "-k", "4", "--json").stdout)
    middles = [set(p["nodes"][1:-1]) for p in disjoint["paths"]]
    assert all(not (a & b) for i, a in enumerate(middles) for b in middles[i + 1 :])
    assert run(tmp_path, "paths", "acme", "--to", "ceo", "--avoid-stance", "friend").returncode == 2
    assert run(tmp_path, "paths", "acme", "--to", "ceo", "--avoid", "ghost").returncode == 3
