"""The setup form's side of exchange.toml: the file as form data, and a proposed change applied
to the file's text with tomlkit, so comments and layout survive and only what changed is
rewritten.

Who may change what is decided by the caller and passed in as ``Rights``; the form data keep
the file's order of classes and teams, so the problems of ``vxkit.exchange.parse_exchange``
(``classes[1].timezone``, ``teams[0].members.lyon_4b[2]``) point at the form's fields too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from .errors import VxkitError
from .exchange import EXCHANGE_FILE, ExchangeError, Problem, parse_exchange_text, read_toml

#: what a teacher edits for a class in the form, in the form's order
CLASS_FIELDS = (
    "school",
    "city",
    "country",
    "timezone",
    "hours",
    "holidays",
    "languages",
    "students",
)
#: shown in the form, changed only in exchange.toml (join links, folders and the partner
#: teacher's sign-in hang on them)
FIXED_CLASS_FIELDS = ("id", "teacher", "colour")
LIST_FIELDS = ("holidays", "languages", "students")
TEAM_FIELDS = ("id", "name", "members")


class FormRefusal(VxkitError):
    """A proposed change that is not for this teacher (403) or not a change the form makes
    (400); the message is a sentence naming the field."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Rights:
    """What a teacher may change in the form: every class and the teams (the organiser), or
    one class and where its own pupils are in the teams (a partner teacher)."""

    everything: bool = False
    own_class: str | None = None
    teacher_of: str = field(default="", compare=False)  # for sentences: "Mme Laurent"

    def may_edit_class(self, class_id: str) -> bool:
        """Whether the class's fields are this teacher's to change."""
        return self.everything or class_id == self.own_class

    def as_dict(self, class_ids: list[str]) -> dict[str, Any]:
        """What the front end shows as editable (the server checks again on saving)."""
        teams = "all" if self.everything else "own_class" if self.own_class else "none"
        return {
            "classes": [c for c in class_ids if self.may_edit_class(c)],
            "fields": list(CLASS_FIELDS),
            "teams": teams,
        }


def version_of(text: str) -> str:
    """A short fingerprint of the file's text: a save names the version it was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _class_form(raw: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {key: _plain(raw.get(key, "")) for key in FIXED_CLASS_FIELDS}
    for key in CLASS_FIELDS:
        default: Any = ["en"] if key == "languages" else [] if key in LIST_FIELDS else ""
        out[key] = _plain(raw.get(key, default))
    return out


def _team_form(raw: Mapping[str, Any]) -> dict[str, Any]:
    members = raw.get("members", {})
    return {
        "id": _plain(raw.get("id", "")),
        "name": _plain(raw.get("name", "")),
        "members": _plain(members) if isinstance(members, Mapping) else {},
    }


def form_data(tables: Mapping[str, Any]) -> dict[str, Any]:
    """Parsed exchange.toml tables as the form shows them: JSON-ready, in the file's order."""
    head = tables.get("exchange", {})
    head = head if isinstance(head, Mapping) else {}
    classes = tables.get("classes", [])
    teams = tables.get("teams", [])
    return {
        "exchange": {k: _plain(head.get(k, "")) for k in ("id", "title", "start", "end")},
        "classes": [_class_form(c) for c in classes if isinstance(c, Mapping)]
        if isinstance(classes, list)
        else [],
        "teams": [_team_form(t) for t in teams if isinstance(t, Mapping)]
        if isinstance(teams, list)
        else [],
    }


@dataclass
class Applied:
    """A proposed change applied to the file's text: the new text and what the exchange
    check says of it (no problems: it may be saved)."""

    text: str
    problems: list[Problem]
    changed: bool


def apply_change(text: str, proposal: Any, rights: Rights, source: str = EXCHANGE_FILE) -> Applied:
    """Apply the form's ``proposal`` (``{"classes": [...], "teams": [...]}``, each part
    optional; a class is named by its id and lists the fields it changes) to the TOML
    ``text``. Raises ``FormRefusal`` for a change this teacher may not make or the form does
    not make, ``ExchangeError`` when ``text`` itself is not TOML."""
    tables = read_toml(text, source)
    current = form_data(tables)
    doc = tomlkit.parse(text)
    if not isinstance(proposal, Mapping):
        raise FormRefusal(400, 'The change must be a JSON object like {"classes": [...]}.')
    unknown = sorted(set(proposal) - {"classes", "teams", "version"})
    if unknown:
        raise FormRefusal(400, f'"{unknown[0]}" is not a part of the setup form.')
    changed = False
    if "classes" in proposal:
        changed |= _apply_classes(doc, current["classes"], proposal["classes"], rights)
    if "teams" in proposal:
        changed |= _apply_teams(doc, current, proposal["teams"], rights)
    new_text = tomlkit.dumps(doc)
    try:
        parse_exchange_text(new_text, source)
        problems: list[Problem] = []
    except ExchangeError as err:
        problems = list(err.problems)
    return Applied(new_text, problems, changed)


def _set(table: Any, key: str, value: Any, where: str) -> None:
    if value is None:
        if key in table:
            del table[key]
        return
    try:
        table[key] = tomlkit.item(value)
    except (TOMLKitError, TypeError, ValueError, OverflowError):
        raise FormRefusal(
            400, f"{where}: {value!r} is not a value exchange.toml can hold."
        ) from None


def _apply_classes(doc: Any, current: list[dict[str, Any]], proposed: Any, rights: Rights) -> bool:
    if not isinstance(proposed, list) or not all(isinstance(c, Mapping) for c in proposed):
        raise FormRefusal(400, "classes: must be a list of classes, each with its id.")
    by_id = {c["id"]: i for i, c in enumerate(current)}
    seen: set[str] = set()
    changed = False
    for entry in proposed:
        cid = entry.get("id")
        if not isinstance(cid, str) or cid not in by_id:
            known = ", ".join(by_id) or "none"
            raise FormRefusal(
                400,
                f'classes: there is no class "{cid}" in exchange.toml (classes: {known}); '
                "classes are added and removed in exchange.toml itself.",
            )
        if cid in seen:
            raise FormRefusal(400, f'classes: the class "{cid}" is listed twice.')
        seen.add(cid)
        index = by_id[cid]
        before = current[index]
        for key, value in entry.items():
            where = f"classes.{cid}.{key}"
            if key in FIXED_CLASS_FIELDS:
                if value != before[key]:
                    raise FormRefusal(
                        400,
                        f"{where}: the class's {key} is changed in exchange.toml, not in the "
                        f'setup form (it is "{before[key]}").',
                    )
                continue
            if key not in CLASS_FIELDS:
                raise FormRefusal(400, f'{where}: "{key}" is not a field of the setup form.')
            if value == before[key]:
                continue
            if not rights.may_edit_class(cid):
                raise FormRefusal(403, _not_your_class(rights, cid))
            _set(doc["classes"][index], key, value, where)
            changed = True
    return changed


def _not_your_class(rights: Rights, cid: str) -> str:
    if rights.own_class:
        return (
            f"You are the teacher of {rights.own_class}: you can change your own class, not "
            f"{cid} (its teacher changes it)."
        )
    return "Only the exchange's organiser and the classes' own teachers can change the classes."


def _members(value: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise FormRefusal(
            400, f'{where}: must list pupils by class, like {{"lyon_4b": ["Chloé"]}}.'
        )
    return dict(value)


def _apply_teams(doc: Any, current: dict[str, Any], proposed: Any, rights: Rights) -> bool:
    if not isinstance(proposed, list) or not all(isinstance(t, Mapping) for t in proposed):
        raise FormRefusal(
            400, "teams: must be a list of teams, each with its id, name and members."
        )
    before = current["teams"]
    for i, team in enumerate(proposed):
        extra = sorted(set(team) - set(TEAM_FIELDS))
        if extra:
            raise FormRefusal(400, f'teams[{i}].{extra[0]}: "{extra[0]}" is not a field of a team.')
        _members(team.get("members", {}), f"teams[{i}].members")
    if not rights.everything:
        _check_own_pupils_only(before, proposed, rights)
    if [_team_form(t) for t in proposed] == before:
        return False
    if "teams" not in doc:
        doc.append("teams", tomlkit.aot())
    aot = doc["teams"]
    wanted = [t.get("id") for t in proposed]
    for i in reversed(range(len(aot))):  # teams taken out of the form
        if aot[i].get("id") not in wanted:
            del aot[i]
    for i, team in enumerate(proposed):
        where = f"teams[{i}]"
        table = next((t for t in aot if t.get("id") == team.get("id")), None)
        if table is None:
            if len(aot):
                aot[-1].add(tomlkit.nl())  # a blank line between tables, as people write them
            table = tomlkit.table()
            aot.append(table)
            for key in TEAM_FIELDS:
                if key != "members":
                    _set(table, key, team.get(key), f"{where}.{key}")
            table["members"] = tomlkit.inline_table()
        else:
            for key in ("id", "name"):
                if team.get(key) != _plain(table.get(key)):
                    _set(table, key, team.get(key), f"{where}.{key}")
        old = table.get("members")
        if not isinstance(old, Mapping):
            table["members"] = tomlkit.inline_table()
            old = table["members"]
        new = _members(team.get("members", {}), f"{where}.members")
        for cid in [c for c in old if c not in new or not new[c]]:
            del old[cid]
        for cid, names in new.items():
            if names and _plain(old.get(cid)) != names:
                _set(old, cid, names, f"{where}.members.{cid}")
    return True


def _check_own_pupils_only(
    before: list[dict[str, Any]], proposed: list[Mapping[str, Any]], rights: Rights
) -> None:
    """A partner teacher places their own pupils; the teams themselves and the other
    classes' pupils stay as they are."""
    refusal = FormRefusal(
        403,
        (
            f"You are the teacher of {rights.own_class}: in the teams you place your own "
            "pupils; adding, removing or renaming teams, and placing other classes' pupils, "
            "is for the exchange's organiser."
        )
        if rights.own_class
        else "Only the exchange's organiser and the classes' own teachers can change the teams.",
    )
    if rights.own_class is None or len(before) != len(proposed):
        raise refusal

    def others(members: Mapping[str, Any]) -> dict[str, Any]:
        return {c: n for c, n in members.items() if c != rights.own_class and n}

    for old, new in zip(before, proposed, strict=True):
        if (new.get("id"), new.get("name")) != (old["id"], old["name"]):
            raise refusal
        if others(_members(new.get("members", {}), "teams")) != others(old["members"]):
            raise refusal
