"""Importing the pupil register from the administration's export (ParnasSys, ESIS; issue 15).

Preview first, save only when confirmed, and only a file without errors (nothing half-saved).
Columns by their Dutch headers, in any order; other columns of the export are not read:
Leerlingnummer, Roepnaam, Voornamen, Tussenvoegsel, Achternaam, Groep (or Klas).
A pupil is matched by pupil number, else by name and groep, else by a name that only one
pupil of the register has (a new school year moves pupils to the next groep). A re-import is
the new school year: matched pupils move to their new groep; pupils missing from the file
are marked as left on that day, only when the person confirms that the file is the whole
school.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.admin.service import AdminError, audit
from tracker.core import csv_file
from tracker.domain.calendar import local_date
from tracker.domain.pupils import full_name, name_key, parse_group
from tracker.models import Group, Pupil, User

MAX_BYTES = 500 * 1024  # a school of 1,000 pupils exports some 60 kB
MAX_LINES = 5000
COLUMNS = {
    "number": ("leerlingnummer", "leerling nummer", "leerlingnr", "leerlingnr.", "llnr",
               "lln.nr.", "leerling-nummer", "studentnummer", "pupil number"),
    "first": ("roepnaam", "roep naam", "voornaam", "first name"),
    "given": ("voornamen",),
    "infix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels"),
    "last": ("achternaam", "geslachtsnaam", "last name", "surname"),
    "group": ("groep", "groepsnaam", "groep naam", "klas", "stamgroep", "group"),
}
_LOOKUP = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class Line:
    number: int
    first_name: str = ""
    last_name: str = ""
    pupil_number: str = ""
    group_text: str = ""
    group_id: int | None = None
    errors: list[str] = field(default_factory=list)
    action: str = "new"  # new | update | move | same
    pupil_id: int | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return full_name(self.first_name, self.last_name)


@dataclass
class Preview:
    lines: list[Line] = field(default_factory=list)
    file_errors: list[tuple[int, str]] = field(default_factory=list)
    encoding: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    missing: list[Pupil] = field(default_factory=list)  # at school, not in the file

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(line.errors for line in self.lines)

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action and not line.errors)

    def errors(self) -> list[dict[str, object]]:
        """Return every error as {"line": n, "message": "..."} (0: the whole file)."""
        found = [{"line": n, "message": m} for n, m in self.file_errors]
        return found + [{"line": line.number, "message": m}
                        for line in self.lines for m in line.errors]


@dataclass(frozen=True)
class Result:
    created: int
    updated: int
    moved: int
    left: int


def _header(cells: list[str], preview: Preview) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _LOOKUP.get(" ".join(cell.strip().lower().split()))
        if key is None:
            if cell.strip():
                preview.ignored_columns.append(cell.strip())
        elif key not in found:
            found[key] = index
    missing = []
    if "last" not in found:
        missing.append("Achternaam")
    if "first" not in found and "given" not in found:
        missing.append("Roepnaam (of Voornamen)")
    if "group" not in found:
        missing.append("Groep")
    if missing:
        preview.file_errors.append((1, "Deze kolommen ontbreken: " + ", ".join(missing) + ". "
                                    "De eerste regel moet de kolomnamen bevatten, zoals "
                                    "Leerlingnummer, Roepnaam, Tussenvoegsel, Achternaam, "
                                    "Groep."))
    return found


class _Groups:
    """The school's groups, found by their name ("Groep 5a") or their number ("5", "7/8")."""

    def __init__(self, session: orm.Session) -> None:
        groups = list(session.scalars(sa.select(Group)))
        self.by_name = {name_key(g.name): g for g in groups}
        self.by_number = {g.number: g for g in groups}
        self.names = {g.id: g.name for g in groups}

    def find(self, text: str) -> Group | None:
        found = self.by_name.get(name_key(text))
        if found is None and (number := parse_group(text)) is not None:
            found = self.by_number.get(number)
        return found


def parse(session: orm.Session, data: bytes) -> Preview:
    """Read an export and compare it with the register; nothing is saved."""
    preview = Preview()
    file = csv_file.read(data, max_bytes=MAX_BYTES, max_lines=MAX_LINES)
    preview.encoding = file.encoding
    preview.file_errors = [(0, message) for message in file.errors]
    if preview.file_errors:
        return preview
    columns = _header(file.header, preview)
    if preview.file_errors:
        return preview
    groups = _Groups(session)
    numbers: dict[str, int] = {}
    names: dict[tuple[str, int | None], int] = {}
    for number, row in file.rows:
        line = _parse_line(number, row, columns, groups)
        _check_twice(line, numbers, names)
        preview.lines.append(line)
    _match(session, preview, groups)
    return preview


def _parse_line(number: int, row: list[str], columns: dict[str, int], groups: _Groups) -> Line:
    def cell(key: str) -> str:
        index = columns.get(key)
        return " ".join(row[index].split()) if index is not None and index < len(row) else ""

    first = cell("first") or cell("given").split(" ")[0]
    line = Line(number=number, first_name=first,
                last_name=" ".join(f"{cell('infix')} {cell('last')}".split()),
                pupil_number=cell("number"), group_text=cell("group"))
    if not line.first_name:
        line.errors.append("De roepnaam (of voornamen) ontbreekt.")
    if not cell("last"):
        line.errors.append("De achternaam ontbreekt.")
    if not line.group_text:
        line.errors.append("De groep ontbreekt.")
    elif (group := groups.find(line.group_text)) is None:
        line.errors.append(f"Groep '{line.group_text}' bestaat niet in Meldpunt. Maak hem aan "
                           "bij Beheer → Groepen, of verbeter de regel.")
    else:
        line.group_id = group.id
    if len(line.pupil_number) > 40 or len(line.name) > 200:
        line.errors.append("Deze regel is te lang voor een naam of leerlingnummer.")
    return line


def _check_twice(line: Line, numbers: dict[str, int], names: dict) -> None:
    if line.pupil_number:
        if line.pupil_number in numbers:
            line.errors.append(f"Leerlingnummer {line.pupil_number} staat ook op regel "
                               f"{numbers[line.pupil_number]}.")
        else:
            numbers[line.pupil_number] = line.number
        return
    key = (name_key(line.name), line.group_id)
    if key in names:
        line.errors.append(f"Deze leerling staat ook op regel {names[key]} (zelfde naam en "
                           "groep). Voeg het leerlingnummer toe.")
    else:
        names[key] = line.number


def _match(session: orm.Session, preview: Preview, groups: _Groups) -> None:
    """Find each line's pupil (number, name and groep, unique name) and what changes."""
    pupils = list(session.scalars(sa.select(Pupil).order_by(Pupil.id)))
    by_number = {p.number: p for p in pupils if p.number}
    claimed: set[int] = set()
    for line in preview.lines:
        if line.errors:
            continue
        pupil = by_number.get(line.pupil_number) if line.pupil_number else None
        if pupil is None:
            free = [p for p in pupils if p.id not in claimed
                    and (not p.number or not line.pupil_number or p.number == line.pupil_number)
                    and name_key(p.name) == name_key(line.name)]
            same_group = [p for p in free if p.group_id == line.group_id]
            pupil = (same_group or free)[0] if len(same_group) == 1 or (
                not same_group and len(free) == 1) else None
        if pupil is None:
            line.action = "new"
            continue
        claimed.add(pupil.id)
        line.pupil_id = pupil.id
        _compare(pupil, line, groups)
    preview.missing = [p for p in pupils if p.left_on is None and p.id not in claimed]


def _compare(pupil: Pupil, line: Line, groups: _Groups) -> None:
    changes = []
    if pupil.group_id != line.group_id:
        changes.append(f"groep: {groups.names.get(pupil.group_id, '—')} → "
                       f"{groups.names.get(line.group_id, '—')}")
    if pupil.name != line.name:
        changes.append(f"naam: {pupil.name} → {line.name}")
    if line.pupil_number and pupil.number != line.pupil_number:
        changes.append(f"leerlingnummer: {pupil.number or '—'} → {line.pupil_number}")
    if pupil.left_on is not None:
        changes.append("weer op school")
    line.changes = changes
    line.action = ("move" if pupil.group_id != line.group_id else "update") if changes else "same"


def apply(session: orm.Session, actor: User | None, now: datetime, data: bytes, *,
          mark_left: bool) -> Result:
    """Save a previewed export; refuse it whole when any line is wrong.

    mark_left: the person confirmed the file is the whole school, so pupils missing from
    it left today.
    """
    preview = parse(session, data)
    if not preview.ok:
        raise AdminError("Het bestand bevat fouten; er is niets opgeslagen.")
    pupils = {p.id: p for p in session.scalars(sa.select(Pupil))}
    for line in preview.lines:
        if line.action == "new":
            session.add(Pupil(first_name=line.first_name, last_name=line.last_name,
                              number=line.pupil_number or None, group_id=line.group_id,
                              created_at=now, updated_at=now))
        elif line.action != "same":
            pupil = pupils[line.pupil_id]
            pupil.first_name, pupil.last_name = line.first_name, line.last_name
            pupil.number = line.pupil_number or pupil.number
            pupil.group_id, pupil.left_on, pupil.updated_at = line.group_id, None, now
    left = preview.missing if mark_left else []
    for pupil in left:
        pupil.left_on, pupil.updated_at = local_date(now), now
    result = Result(preview.count("new"), preview.count("update"), preview.count("move"),
                    len(left))
    # Counts only: the audit log holds no pupil's name.
    audit(session, actor, now, "pupils.import", "leerlingen", None, asdict(result))
    session.flush()
    return result
