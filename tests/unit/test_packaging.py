"""Installing powermap puts one package in site-packages: api/, viz/ and cypher/ go in as powermap.api,
powermap.viz and powermap.cypher, with their data files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_holds_only_the_powermap_package_with_api_viz_and_cypher_inside(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("powermap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert {t for t in top_level if not t.endswith((".dist-info", ".data"))} == {"powermap"}
    packages = {str(Path(n).parent).replace("/", ".") for n in names if n.endswith("/__init__.py")}
    assert {"powermap.api", "powermap.api.routes", "powermap.viz", "powermap.cypher"} <= packages
    cypher_files = {Path(n).name for n in names if n.startswith("powermap/cypher/") and n.endswith(".cypher")}
    assert cypher_files == {p.name for p in (ROOT / "cypher").glob("*.cypher")}
    assets = {n for n in names if n.startswith(("powermap/viz/assets/", "powermap/viz/templates/"))}
    assert {f"powermap/viz/assets/{p.name}" for p in (ROOT / "viz" / "assets").iterdir()} <= assets
    assert {f"powermap/viz/templates/{p.name}" for p in (ROOT / "viz" / "templates").iterdir()} <= assets
    assert "powermap/samples/acme.json" in names
