"""The Cypher file loader (powermap/store/queries.py), without a server: which files are queries, and their text."""

from __future__ import annotations

from pathlib import Path

import powermap.cypher
from powermap.store.queries import Q, cypher, query_files

# The package the files ship in, found by Python's import (in a mutation run, not next to the mutated copy).
CYPHER_FOLDER = Path(powermap.cypher.__file__).resolve().parent


def shipped_query_files() -> dict[str, str]:
    """Read by hand: every ``*.cypher`` file of the package folder, by its name without the extension."""
    return {path.stem: path.read_bytes().decode("utf-8") for path in CYPHER_FOLDER.glob("*.cypher")}


def test_every_shipped_cypher_file_is_loaded_under_its_name_with_its_text() -> None:
    expected = shipped_query_files()
    assert len(expected) == len(Q)  # the folder itself is what this test reads, so check it is the real one
    assert query_files() == expected


def test_files_that_are_not_cypher_are_not_queries() -> None:
    names = set(query_files())
    assert (CYPHER_FOLDER / "__init__.py").exists()
    assert "__init__" not in names
    assert "__init__.py" not in names
    assert not [name for name in names if "." in name]


def test_the_loader_and_the_named_lookup_give_the_same_text() -> None:
    files = query_files()
    assert {name: cypher(name) for name in Q} == {name: files[name.value] for name in Q}
