"""The ``powermap`` command line: a thin edge over :mod:`powermap.service`.

Human-readable output by default, ``--json`` for machines. Every failure is one readable line on
stderr and an exit code: 2 invalid input, 3 unknown account/stakeholder/member, 1 anything else.
Commands live in one module per topic and register on :data:`powermap.cli.app.app`.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import typer

from powermap.cli import (  # noqa: F401  (importing registers the commands)
    activities,
    analysis,
    db,
    demo,
    history,
    keys,
    maps,
    personal,
    reference,
    serve,
    whatif,
)
from powermap.cli import roadmap as _roadmap  # noqa: F401  (issue 9: voices and roadmap)
from powermap.cli import voice_edits as _voice_edits  # noqa: F401  (one voice at a time)
from powermap.cli import voices as _voices  # noqa: F401
from powermap.cli.app import app
from powermap.cli.common import EXIT_FAILURE, EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, err, print_json
from powermap.errors import InvalidInputError, InvalidMapError, NotFoundError, PowermapError, StoreError

__all__ = ["app", "exit_code_for", "main", "run"]


# -- entry point -----------------------------------------------------------------------------------------


def exit_code_for(error: PowermapError) -> int:
    if isinstance(error, InvalidInputError):
        return EXIT_INVALID
    if isinstance(error, NotFoundError):
        return EXIT_NOT_FOUND
    return EXIT_FAILURE


def error_json(error: PowermapError, code: int) -> dict[str, Any]:
    """An error for machines: its kind, the exit code, the message and every problem (values still cut)."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__.removesuffix("Error")).lower()
    body: dict[str, Any] = {"type": kind, "exit_code": code, "message": str(error).split("\n", 1)[0]}
    if isinstance(error, InvalidMapError):
        body["problems"] = [{"path": p.path, "item": p.item, "message": p.message} for p in error.problems]
    return {"error": body}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of raising, so no traceback ever reaches a user."""
    command = typer.main.get_command(app)
    try:
        # Standalone mode: the CLI framework prints usage errors and help itself and exits (2 on a
        # usage error); anything it does not handle reaches the branches below.
        command.main(args=argv, prog_name="powermap", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (EXIT_OK if done.code is None else EXIT_FAILURE)
    except PowermapError as error:
        # The readable message always goes to stderr (bounded); with --json, stdout carries the error
        # for machines too, with every problem of a refused map.
        prefix = "store error" if isinstance(error, StoreError) else "error"
        err.print(f"powermap: {prefix}: {error}", markup=False)
        if "--json" in (sys.argv[1:] if argv is None else argv):
            print_json(error_json(error, exit_code_for(error)))
        return exit_code_for(error)
    except KeyboardInterrupt:
        err.print("powermap: interrupted")
        return 130
    except Exception as error:
        if os.environ.get("POWERMAP_DEBUG"):
            raise
        err.print(
            f"powermap: unexpected error: {type(error).__name__}: {error} (set POWERMAP_DEBUG=1 for a traceback)",
            markup=False,
        )
        return EXIT_FAILURE
    return EXIT_OK


def run() -> None:
    sys.exit(main())
