"""What every command shares: the consoles, the common options, opening the service, reading documents."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from powermap.errors import AccountNotFoundError, InvalidInputError, clip
from powermap.service import PowermapService
from powermap.settings import get_settings
from powermap.store import ProgressCallback, open_store, redact

EXIT_OK, EXIT_FAILURE, EXIT_INVALID, EXIT_NOT_FOUND = 0, 1, 2, 3

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="POWERMAP_STORE",
        help="Store URL: sqlite:///file.db (default ./powermap.db) or bolt://host:7687, neo4j://host:7687.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of text for people.")]
AccountArg = Annotated[str, typer.Argument(help="Account id.", show_default=False)]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Answer as of a past moment: a revision number or an ISO 8601 time (no zone = UTC).",
        show_default=False,
    ),
]


@contextmanager
def open_service(store_url: str | None, *, create: bool = False) -> Iterator[PowermapService]:
    """The service over the store a command names. Only commands that write a new map (``create``)
    may bring a missing SQLite file into being; any other command on a missing store says so."""
    settings = get_settings()
    url = store_url or settings.store
    with open_store(url, settings, create=create) as store:
        try:
            yield PowermapService(store, actor=settings.actor)
        except AccountNotFoundError as error:
            if error.store is not None:
                raise
            raise AccountNotFoundError(error.item_id, error.account_id, store=redact(url)) from error


def print_json(data: Any) -> None:
    """JSON for machines: written straight to stdout (the same bytes the console's renderer made, minus
    its per-character work, which cost seconds on a 10k-stakeholder report)."""
    out.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    out.file.flush()


def write_text(path: Path, text: str) -> None:
    """Write a file whole or not at all: a crash never leaves half a map behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def write_document(document: Any, output: Path | None, summary: dict[str, Any], as_json: bool) -> None:
    """Write an exported document to stdout, or whole to ``output`` (YAML when it ends in .yaml/.yml).

    With a file, stdout says what was written: ``summary`` plus ``wrote`` as JSON, or one line for people.
    """
    if output is not None and output.suffix.lower() in {".yaml", ".yml"}:
        import yaml  # here, not at the top: most commands never write YAML

        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    else:
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_text(output, text)
    if as_json:
        print_json({**summary, "wrote": str(output)})
    else:
        err.print(f"wrote {output}", markup=False)


def read_document(path: Path) -> Any:
    """Read a JSON or YAML account-map file; ``-`` reads standard input.

    A ``.yaml``/``.yml`` file is YAML and a ``.json`` file JSON; any other name (and standard input) is
    read as JSON when it is JSON and as YAML otherwise, so ``map.txt`` or a pipe may hold either.
    """
    from_stdin = str(path) == "-"
    where = "standard input" if from_stdin else repr(str(path))
    try:
        raw = sys.stdin.buffer.read() if from_stdin else path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        raise InvalidInputError(f"cannot read {where}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise InvalidInputError(f"{where} is not UTF-8 text (byte {error.start})") from error
    suffix = "" if from_stdin else path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return _parse_yaml(text, where, "YAML")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        looks_like_json = text.lstrip()[:1] in {"{", "["}
        if suffix == ".json" or looks_like_json:
            raise InvalidInputError(
                f"{where} is not valid JSON: line {error.lineno} column {error.colno}: {error.msg}"
            ) from error
    return _parse_yaml(text, where, "JSON or YAML")


def _parse_yaml(text: str, where: str, expected: str) -> Any:
    import yaml  # here, not at the top: commands that read no document should not pay its import

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        at = f"line {mark.line + 1} column {mark.column + 1}: " if mark is not None else ""
        raise InvalidInputError(f"{where} is not valid {expected}: {at}{error.problem or error}") from error
    except yaml.YAMLError as error:
        raise InvalidInputError(f"{where} is not valid {expected}: {clip(str(error))}") from error


@contextmanager
def progress(label: str, *, enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr while a long write runs, when a person is watching."""
    if not (enabled and err.is_terminal):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
