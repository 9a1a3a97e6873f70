"""``powermap voice add|set|close|remove|show``: edit one voice of an account, as the API does.

Each write is one item edit of the service (:mod:`powermap.service.edits`): checked item-only against the
stored map (the stakeholder, activity and roadmap items it names, a voice's rules on ``closed_on`` and
``satisfaction``), refused with the field and the voice's id named (exit 2), 3 for an unknown account or
voice, 1 when the id is taken or a precondition is stale. Field values go to the service as given, so a
bad one is refused in the contract's words (``voice.category ('v9'): must be one of ...``).

Preconditions, as ``import --if-revision``: ``--if-revision N`` (the account's revision you saw) and
``--if-version V`` (the voice's version, which ``show``, ``add`` and ``set`` print): a stale one is
refused and nothing is written, never retried.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from powermap.cli.app import app
from powermap.cli.common import AccountArg, JsonOption, StoreOption, open_service, out, print_json
from powermap.errors import InvalidMapError, Problem
from powermap.model import NodeKind, Voice
from powermap.service import Item, PowermapService
from powermap.service.voices import voice_today

voice_app = typer.Typer(
    help="Edit one voice of an account: add, set fields, close, remove; show one with its version.",
    no_args_is_help=True,
)
app.add_typer(voice_app, name="voice")

VoiceArg = Annotated[str, typer.Argument(help="Voice id.", show_default=False)]
IfRevisionOption = Annotated[
    int | None,
    typer.Option(
        "--if-revision", min=1, help="Write only if the account is still at this revision.", show_default=False
    ),
]
IfVersionOption = Annotated[
    str | None,
    typer.Option("--if-version", help="Write only if the voice is still at this version.", show_default=False),
]


def _text(name: str, help_text: str) -> Any:
    return typer.Option(name, help=help_text, show_default=False)


StakeholderOption = Annotated[str | None, _text("--stakeholder", "Who raised it (stakeholder id).")]
TextOption = Annotated[str | None, _text("--text", "What they said.")]
DateOption = Annotated[str | None, _text("--date", "When (YYYY-MM-DD); add: default today.")]
ChannelOption = Annotated[str | None, _text("--channel", "Through which channel: an activity kind, survey, email...")]
ActivityOption = Annotated[str | None, _text("--activity", "At which activity (activity id).")]
CategoryOption = Annotated[str | None, _text("--category", "Screening: pain, itch, pseudo, unscreened.")]
PriorityOption = Annotated[int | None, _text("--priority", "1 (highest) to 5.")]
FlowOption = Annotated[str | None, _text("--flow", "Owning flow: LTC, IPD, ITR, none.")]
OwnerOption = Annotated[str | None, _text("--owner", "Who owns it on our side.")]
StatusOption = Annotated[str | None, _text("--status", "new, screened, routed, in_progress, resolved, rejected.")]
RoadmapOption = Annotated[
    list[str] | None, _text("--roadmap", "A roadmap item that answers it (repeat for several; set: replaces the list).")
]
ClosedOnOption = Annotated[str | None, _text("--closed-on", "When it was closed with the customer (YYYY-MM-DD).")]
SatisfactionOption = Annotated[int | None, _text("--satisfaction", "The customer's satisfaction, 1-5 (resolved only).")]

#: What ``set --clear FIELD`` sets each clearable field to.
CLEARED: dict[str, Any] = {"activity": None, "priority": None, "closed_on": None, "satisfaction": None, "roadmap": []}


def _fields(**given: Any) -> dict[str, Any]:
    """The contract fields given on the command line (None: not given; ``roadmap`` as a list)."""
    return {name: value for name, value in given.items() if value is not None}


def _report(service: PowermapService, account: str, done: str, found: Item[Voice], as_json: bool) -> None:
    voice = found.item
    if as_json:
        print_json(
            {
                "account": account,
                "revision": found.revision,
                "version": found.version,
                "voice": voice.model_dump(mode="json", by_alias=True),
            }
        )
        return
    name = service.get_node(account, NodeKind.STAKEHOLDER, voice.stakeholder).item.name
    closed = f", closed on {voice.closed_on}" if voice.closed_on else ""
    rated = f", satisfaction {voice.satisfaction} of 5" if voice.satisfaction is not None else ""
    out.print(
        f"{done} voice {voice.id!r} raised by {name} ({voice.stakeholder}) on {voice.date}: "
        f"{voice.category.value}, {voice.status.value}{closed}{rated}",
        markup=False,
    )
    out.print(
        f"  account {account!r} is {'' if done == 'read' else 'now '}at revision {found.revision}; "
        f"the voice's version is {found.version} "
        "(give it as --if-version to change it only if nobody else did)",
        markup=False,
    )


@voice_app.command("add")
def voice_add_command(
    account: AccountArg,
    voice: VoiceArg,
    stakeholder: StakeholderOption = None,
    text: TextOption = None,
    date: DateOption = None,
    channel: ChannelOption = None,
    activity: ActivityOption = None,
    category: CategoryOption = None,
    priority: PriorityOption = None,
    flow: FlowOption = None,
    owner: OwnerOption = None,
    status: StatusOption = None,
    roadmap: RoadmapOption = None,
    closed_on: ClosedOnOption = None,
    satisfaction: SatisfactionOption = None,
    if_revision: IfRevisionOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a voice (refused if the id is taken). --stakeholder and --text are required; --date defaults to today."""
    fields = _fields(
        id=voice,
        stakeholder=stakeholder,
        text=text,
        date=date or voice_today().isoformat(),
        channel=channel,
        activity=activity,
        category=category,
        priority=priority,
        flow=flow,
        owner=owner,
        status=status,
        roadmap=roadmap,
        closed_on=closed_on,
        satisfaction=satisfaction,
    )
    with open_service(store) as service:
        created = service.create_voice(account, fields, if_revision=if_revision)
        _report(service, account, "added", created, as_json)


@voice_app.command("set")
def voice_set_command(
    account: AccountArg,
    voice: VoiceArg,
    stakeholder: StakeholderOption = None,
    text: TextOption = None,
    date: DateOption = None,
    channel: ChannelOption = None,
    activity: ActivityOption = None,
    category: CategoryOption = None,
    priority: PriorityOption = None,
    flow: FlowOption = None,
    owner: OwnerOption = None,
    status: StatusOption = None,
    roadmap: RoadmapOption = None,
    closed_on: ClosedOnOption = None,
    satisfaction: SatisfactionOption = None,
    clear: Annotated[
        list[str] | None,
        typer.Option("--clear", help=f"Empty a field (repeat for several): {', '.join(CLEARED)}.", show_default=False),
    ] = None,
    if_revision: IfRevisionOption = None,
    if_version: IfVersionOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change some fields of a voice; the others stay as they are."""
    changes = _fields(
        stakeholder=stakeholder,
        text=text,
        date=date,
        channel=channel,
        activity=activity,
        category=category,
        priority=priority,
        flow=flow,
        owner=owner,
        status=status,
        roadmap=roadmap,
        closed_on=closed_on,
        satisfaction=satisfaction,
    )
    problems = [
        Problem("--clear", repr(voice), f"{name!r} cannot be cleared (only {', '.join(CLEARED)})")
        for name in clear or ()
        if name not in CLEARED
    ]
    problems += [
        Problem(f"voice.{name}", repr(voice), "is both given and cleared") for name in clear or () if name in changes
    ]
    if problems:
        raise InvalidMapError(problems)
    if not changes and not clear:
        raise InvalidMapError([Problem("voice", repr(voice), "name at least one field to change (see --help)")])
    changes |= {name: CLEARED[name] for name in clear or ()}
    with open_service(store) as service:
        updated = service.update_voice(account, voice, changes, if_revision=if_revision, if_version=if_version)
        _report(service, account, "updated", updated, as_json)


@voice_app.command("close")
def voice_close_command(
    account: AccountArg,
    voice: VoiceArg,
    on: Annotated[str | None, _text("--on", "The day it was closed with the customer (default today).")] = None,
    rejected: Annotated[
        bool, typer.Option("--rejected", help="A pseudo-need explained to the customer, not resolved.")
    ] = False,
    satisfaction: SatisfactionOption = None,
    if_revision: IfRevisionOption = None,
    if_version: IfVersionOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close a voice with the customer: resolved (optionally with their satisfaction) or --rejected."""
    changes: dict[str, Any] = {
        "status": "rejected" if rejected else "resolved",
        "closed_on": on or voice_today().isoformat(),
    }
    if satisfaction is not None:
        changes["satisfaction"] = satisfaction
    with open_service(store) as service:
        closed = service.update_voice(account, voice, changes, if_revision=if_revision, if_version=if_version)
        _report(service, account, "closed", closed, as_json)


@voice_app.command("remove")
def voice_remove_command(
    account: AccountArg,
    voice: VoiceArg,
    if_revision: IfRevisionOption = None,
    if_version: IfVersionOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove a voice from the account (its history keeps it: see `powermap history`)."""
    with open_service(store) as service:
        revision = service.delete_voice(account, voice, if_revision=if_revision, if_version=if_version)
    if as_json:
        print_json({"account": account, "revision": revision, "removed": voice})
    else:
        out.print(f"removed voice {voice!r} from account {account!r} (now at revision {revision})", markup=False)


@voice_app.command("show")
def voice_show_command(
    account: AccountArg, voice: VoiceArg, store: StoreOption = None, as_json: JsonOption = False
) -> None:
    """One voice as stored, with its version and the account's revision (what --if-version/--if-revision take)."""
    with open_service(store) as service:
        found = service.get_voice(account, voice)
        if not as_json:
            for field, value in found.item.model_dump(mode="json", by_alias=True).items():
                out.print(
                    f"{field}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}",
                    markup=False,
                )
        _report(service, account, "read", found, as_json)
