"""Importing staff and their groups from a CSV file: preview first, save only when confirmed.

Columns (header row, any order, Dutch or English names): name/naam, email/e-mail,
roles/rollen, groups/groepen, workdays/werkdagen. Separator ; or , (Excel in Dutch uses ;).
Several values in one cell are separated by | / + or spaces (or the other separator):
"leerkracht|ib", "7 8", "ma di wo". Re-importing the same file changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.accounts.auth import find_user
from tracker.admin.service import (
    AdminError,
    check_guarded_roles,
    create_staff,
    held_guarded_roles,
    save_group,
    update_staff,
)
from tracker.core import csv_file
from tracker.domain.addresses import LOCAL_NOT_ASCII, AddressError, normalise_address
from tracker.domain.numbers import whole_number
from tracker.models import Group, User

MAX_BYTES = 500 * 1024
MAX_LINES = 2000
COLUMNS = {
    "name": ("name", "naam", "volledige naam"),
    "email": ("email", "e-mail", "e-mailadres", "emailadres", "mail"),
    "roles": ("roles", "rollen", "rol", "role"),
    "groups": ("groups", "groepen", "groep", "group"),
    "workdays": ("workdays", "werkdagen", "werkdag", "dagen"),
}
REQUIRED = ("name", "email", "roles")
ROLE_ALIASES = {
    "leerkracht": ("leerkracht", "leraar", "lerares", "juf", "meester", "teacher"),
    "ib": ("ib", "ib'er", "iber", "ib-er", "intern begeleider", "aandachtsfunctionaris"),
    "anti_pest": ("anti_pest", "anti-pest", "antipest", "anti-pestcoördinator",
                  "anti-pestcoordinator", "pestcoördinator", "pestcoordinator"),
    "directie": ("directie", "directeur", "director", "schoolleider"),
    "vertrouwenspersoon": ("vertrouwenspersoon", "vp"),
    "bestuur": ("bestuur", "bestuurder"),
    "fg": ("fg", "functionaris gegevensbescherming"),
    "admin": ("admin", "beheerder"),
}
_ROLE_LOOKUP = {alias: key for key, aliases in ROLE_ALIASES.items() for alias in aliases}
_DAYS = {"ma": "1", "di": "2", "wo": "3", "do": "4", "vr": "5", "za": "6", "zo": "7",
         "maandag": "1", "dinsdag": "2", "woensdag": "3", "donderdag": "4", "vrijdag": "5",
         "zaterdag": "6", "zondag": "7", "mon": "1", "tue": "2", "wed": "3", "thu": "4",
         "fri": "5", "sat": "6", "sun": "7"}
_SPLIT = re.compile(r"[|/+;,]+")


@dataclass
class Line:
    number: int
    name: str = ""
    email: str = ""
    roles: tuple[str, ...] = ()
    groups: tuple[int, ...] = ()
    workdays: str = "12345"
    errors: list[str] = field(default_factory=list)
    action: str = "new"  # new | update | same
    changes: list[str] = field(default_factory=list)


@dataclass
class Preview:
    lines: list[Line] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    encoding: str = ""
    new_groups: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(line.errors for line in self.lines)

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action and not line.errors)


def _header(cells: list[str], preview: Preview) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = cell.strip().lower()
        key = next((k for k, names in COLUMNS.items() if name in names), None)
        if key is None:
            if name:
                preview.file_errors.append(
                    f"Onbekende kolom '{cell.strip()}'. Gebruik de kolommen: "
                    "naam, email, rollen, groepen, werkdagen.")
        elif key in found:
            preview.file_errors.append(f"De kolom '{cell.strip()}' staat er twee keer in.")
        else:
            found[key] = index
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        preview.file_errors.append(
            "Deze kolommen ontbreken: " + ", ".join(missing) + ". De eerste regel moet de "
            "kolomnamen bevatten: naam, email, rollen, groepen, werkdagen.")
    return found


def _tokens(cell: str) -> list[str]:
    return [t.strip() for t in _SPLIT.split(cell or "") if t.strip()]


def _parse_roles(cell: str, line: Line) -> tuple[str, ...]:
    roles: list[str] = []
    for token in _tokens(cell):
        parts = [token] if token.lower() in _ROLE_LOOKUP else token.split()
        for part in parts:
            key = _ROLE_LOOKUP.get(part.lower())
            if key is None:
                line.errors.append(f"Onbekende rol '{part}'. Kies uit: "
                                   + ", ".join(ROLE_ALIASES) + ".")
            elif key not in roles:
                roles.append(key)
    return tuple(roles)


def _parse_groups(cell: str, line: Line) -> tuple[int, ...]:
    groups: list[int] = []
    for token in (t for part in _tokens(cell) for t in part.split()):
        number = whole_number(token.lower().removeprefix("groep").strip(), maximum=999)
        if not number:
            line.errors.append(f"Groep '{token}' begrijpen we niet. Gebruik een nummer, "
                               "bijvoorbeeld 5 of 78.")
        elif number not in groups:
            groups.append(number)
    return tuple(sorted(groups))


def _parse_workdays(cell: str, line: Line) -> str:
    tokens = [t for part in _tokens(cell) for t in part.split()]
    if not tokens:
        return "12345"
    digits: set[str] = set()
    for token in tokens:
        low = token.lower().rstrip(".")
        if low and set(low) <= set("1234567"):
            digits |= set(low)
        elif low in _DAYS:
            digits.add(_DAYS[low])
        else:
            line.errors.append(f"Werkdag '{token}' begrijpen we niet. Gebruik bijvoorbeeld "
                               "'ma di do' of 124.")
    return "".join(sorted(digits)) or "12345"


def _current_groups(session: orm.Session, user: User) -> tuple[int, ...]:
    stmt = sa.select(Group.number).where(Group.teachers.any(User.id == user.id))
    return tuple(sorted(session.scalars(stmt)))


def parse(session: orm.Session, data: bytes) -> Preview:
    """Read a CSV file and compare it with the school; nothing is saved."""
    preview = Preview()
    file = csv_file.read(data, max_bytes=MAX_BYTES, max_lines=MAX_LINES)
    preview.encoding, preview.file_errors = file.encoding, file.errors
    if preview.file_errors:
        return preview
    columns = _header(file.header, preview)
    if preview.file_errors:
        return preview
    seen: dict[str, int] = {}
    existing_groups = set(session.scalars(sa.select(Group.number)))
    for number, row in file.rows:
        preview.lines.append(_parse_line(session, number, row, columns, seen))
    preview.new_groups = sorted({g for line in preview.lines if not line.errors
                                 for g in line.groups} - existing_groups)
    return preview


def _parse_line(session: orm.Session, number: int, row: list[str], columns: dict[str, int],
                seen: dict[str, int]) -> Line:
    def cell(key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    line = Line(number=number, name=" ".join(cell("name").split()),
                email=cell("email").lower())
    if not line.name:
        line.errors.append("De naam ontbreekt.")
    try:
        line.email = normalise_address(line.email) if line.email else ""
    except AddressError as refused:
        line.errors.append(f"E-mailadres '{line.email[:80]}' klopt niet."
                           + (" Vóór de @ kunnen geen letters met accenten staan."
                              if refused.reason == LOCAL_NOT_ASCII else ""))
    else:
        if not line.email:
            line.errors.append("Het e-mailadres ontbreekt.")
        elif line.email in seen:
            line.errors.append(f"Dit e-mailadres staat ook op regel {seen[line.email]}.")
        else:
            seen[line.email] = number
    line.roles = _parse_roles(cell("roles"), line)
    line.groups = _parse_groups(cell("groups"), line)
    line.workdays = _parse_workdays(cell("workdays"), line)
    if line.groups and "leerkracht" not in line.roles:
        line.roles = ("leerkracht", *line.roles)  # a group's teacher is a leerkracht
    if not line.roles and not line.errors:
        line.errors.append("Geen rol ingevuld.")
    user = find_user(session, line.email)
    if user is not None and not line.errors:
        _compare(session, user, line)
    return line


def _compare(session: orm.Session, user: User, line: Line) -> None:
    if not user.active:
        line.errors.append("Dit account is uitgeschakeld. Zet het eerst weer aan bij "
                           "Medewerkers, of haal de regel weg.")
        return
    changes = []
    if user.name != line.name:
        changes.append(f"naam: {user.name} → {line.name}")
    if set(user.role_keys) != set(line.roles):
        changes.append("rollen: " + ", ".join(sorted(user.role_keys)) + " → "
                       + ", ".join(sorted(line.roles)))
    groups = _current_groups(session, user)
    if groups != line.groups:
        changes.append(f"groepen: {' '.join(map(str, groups)) or '—'} → "
                       f"{' '.join(map(str, line.groups)) or '—'}")
    if user.workdays != line.workdays:
        changes.append(f"werkdagen: {user.workdays} → {line.workdays}")
    line.action = "update" if changes else "same"
    line.changes = changes


def apply(session: orm.Session, actor: User | None, now: datetime, data: bytes) -> tuple[
        Preview, list[User]]:
    """Save a previewed file; refuse it whole when any line is wrong. Return the new users."""
    preview = parse(session, data)
    if not preview.ok:
        raise AdminError("Het bestand bevat fouten; er is niets opgeslagen.")
    created: list[User] = []
    users: dict[str, User] = {}
    held = held_guarded_roles(session)
    for line in preview.lines:
        if line.action == "new":
            user = create_staff(session, actor, now, name=line.name, email=line.email,
                                roles=line.roles, workdays=line.workdays)
            created.append(user)
        else:
            user = find_user(session, line.email)
            if line.action == "update":
                update_staff(session, actor, now, user, name=line.name, roles=line.roles,
                             workdays=line.workdays, check=False)
        users[line.email] = user
    _apply_groups(session, actor, now, preview, users)
    check_guarded_roles(session, held)
    return preview, created


def _apply_groups(session: orm.Session, actor: User | None, now: datetime, preview: Preview,
                  users: dict[str, User]) -> None:
    imported = {u.id for u in users.values()}
    wanted: dict[int, set[int]] = {}
    for line in preview.lines:
        for number in line.groups:
            wanted.setdefault(number, set()).add(users[line.email].id)
    groups = {g.number: g for g in session.scalars(sa.select(Group))}
    touched = set(wanted) | {n for n, g in groups.items()
                             if any(t.id in imported for t in g.teachers)}
    for number in sorted(touched):
        group = groups.get(number)
        keep = {t.id for t in group.teachers if t.id not in imported} if group else set()
        teachers = keep | wanted.get(number, set())
        if group is not None and teachers == {t.id for t in group.teachers}:
            continue
        save_group(session, actor, now, group, number=number,
                   name=group.name if group else f"Groep {number}", teacher_ids=sorted(teachers),
                   active=group.active if group else True)
