"""The admin audit log in words (Beheer → Logboek): what was done, to whom, what changed.

AdminAudit rows keep machine keys ("staff.update", "user:3", {"workdays": "135"}); this module
turns a page of them into sentences, people by name, fields as "veld: oud → nieuw".
tests/test_admin_audit.py fails when an audit() call anywhere writes an action without a label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_babel import format_date
from sqlalchemy import orm

from tracker.core.formatting import gettext as _
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.formatting import time_tag
from tracker.core.labels import category_label, role_label
from tracker.models import AdminAudit, KioskDevice, User

ACTIONS = {
    "setup.first_admin": _l("Eerste beheerder aangemaakt"),
    "setting.update": _l("Instelling gewijzigd"),
    "staff.create": _l("Medewerker toegevoegd"),
    "staff.update": _l("Medewerker gewijzigd"),
    "staff.deactivate": _l("Medewerker uitgeschakeld"),
    "staff.reactivate": _l("Medewerker weer ingeschakeld"),
    "staff.invite": _l("Nieuwe uitnodiging gestuurd"),
    "group.create": _l("Groep toegevoegd"),
    "group.update": _l("Groep gewijzigd"),
    "rule.create": _l("Routeringsregel toegevoegd"),
    "rule.update": _l("Routeringsregel gewijzigd"),
    "rule.enable": _l("Routeringsregel aangezet"),
    "rule.disable": _l("Routeringsregel uitgezet"),
    "insight.export": _l("Overzicht geëxporteerd (alleen kenmerken, geen tekst of namen)"),
    "calendar.add": _l("Vrije dagen toegevoegd"),
    "calendar.remove": _l("Vrije dag verwijderd"),
    "calendar.import": _l("Schoolvakanties ingelezen"),
    "role.propose": _l("Rol voorgesteld"),
    "role.confirm": _l("Rol bevestigd"),
    "role.decline": _l("Rol afgewezen"),
    "role.first_holder": _l("Rol gegeven aan de eerste houder"),
    "role.console": _l("Rol gegeven vanaf de server"),
    "staff.twofactor_reset": _l("Tweestapslogin gewist (kwijtgeraakte telefoon)"),
    "kiosk.enrol": _l("Kiosk aangemeld"),
    "kiosk.rename": _l("Kiosk hernoemd"),
    "kiosk.revoke": _l("Kiosk ingetrokken"),
    "retention.rule": _l("Bewaartermijn gewijzigd"),
    "retention.hold": _l("Bewaarplicht gezet"),
    "retention.release": _l("Bewaarplicht opgeheven"),
    "retention.deleted": _l("Meldingen gewist na de bewaartermijn"),
    "pupils.import": _l("Leerlingen ingelezen"),
    "subject_request.access": _l("Verzoek om inzage vastgelegd"),
    "subject_request.correction": _l("Verzoek om correctie vastgelegd"),
    "subject_request.erasure": _l("Verzoek om verwijdering vastgelegd"),
}

FIELDS = {
    "name": _l("naam"),
    "email": _l("e-mailadres"),
    "roles": _l("rollen"),
    "role": _l("rol"),
    "workdays": _l("werkdagen"),
    "active": _l("actief"),
    "second_factor": _l("tweestapslogin"),
    "cases_to": _l("open meldingen naar"),
    "cases_moved": _l("overgedragen meldingen"),
    "number": _l("groepsnummer"),
    "teachers": _l("leerkrachten"),
    "priority": _l("volgorde"),
    "category": _l("soort melding"),
    "reporter_types": _l("gemeld door"),
    "primary_role": _l("naar rol"),
    "informed_roles": _l("geïnformeerd"),
    "ack": _l("oppakken binnen"),
    "resolve": _l("afronden binnen"),
    "chain": _l("escalatie"),
    "urgent": _l("spoed"),
    "enabled": _l("aangezet"),
    "from": _l("van"),
    "to": _l("tot en met"),
    "day": _l("dag"),
    "kind": _l("soort"),
    "days": _l("dagen"),
    "region": _l("regio"),
    "school_year": _l("schooljaar"),
    "unconfirmed": _l("nog niet bevestigd"),
    "enrolled": _l("aangemeld"),
    "revoked": _l("ingetrokken"),
    "link_expires": _l("aanmeldlink geldig tot"),
    "value": _l("waarde"),
    "source": _l("bron"),
    "ends_on": _l("tot"),
    "cases": _l("meldingen"),
    "outcome": _l("besluit"),
    "count": _l("aantal"),
    "counts": _l("per soort"),
    "batch": _l("verwijderronde"),
    "approved_by": _l("goedgekeurd door"),
    "approved_at": _l("goedgekeurd op"),
    "erased": _l("gewist"),
    "created": _l("nieuw"),
    "updated": _l("bijgewerkt"),
    "moved": _l("naar een andere groep"),
    "left": _l("van school"),
}

SETTINGS = {
    "school_name": _l("naam van de school"),
    "vp_contact": _l("contactgegevens vertrouwenspersoon"),
    "quiet_hours": _l("stille uren"),
    "followup_days": _l("dagen tot de controle"),
    "default_deadlines": _l("standaardtermijnen"),
    "logo": _l("logo"),
    "fg_contact": _l("contactgegevens FG"),
    "retention_pupil_days": _l("bewaartermijn leerlinggegevens"),
    "retention_outbox_days": _l("bewaartermijn verstuurde e-mail"),
    "retention_access_log_days": _l("bewaartermijn inzagelog"),
    "retention_audit_log_days": _l("bewaartermijn logboek beheer"),
}

WEEKDAYS = {"1": _l("ma"), "2": _l("di"), "3": _l("wo"), "4": _l("do"), "5": _l("vr"),
            "6": _l("za"), "7": _l("zo")}

# Internal row ids that say nothing to a reader.
HIDDEN = frozenset({"grant", "hold"})
PEOPLE_FIELDS = frozenset({"cases_to", "teachers"})
ROLE_FIELDS = frozenset({"roles", "role", "primary_role", "informed_roles", "chain"})
CASE_FIELDS = frozenset({"cases", "cases_moved"})
MOMENT_FIELDS = frozenset({"link_expires", "approved_at", "ends_on", "from", "to", "day"})


class Change(NamedTuple):
    field: str
    old: str | None  # None: the field was not there before (a creation)
    new: str | None  # None: the field is gone after (a removal)


class Entry(NamedTuple):
    at: datetime
    actor: str | None
    action: str
    target: str
    changes: list[Change]


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def entries(session: orm.Session, rows: Sequence[AdminAudit]) -> list[Entry]:
    """Put a page of audit rows into words (two queries for the names, not one per row)."""
    words = _Words(session, rows)
    return [Entry(row.at, row.actor.name if row.actor else None, action_label(row.action),
                  words.target(row.target), words.changes(row.before, row.after))
            for row in rows]


class _Words:
    def __init__(self, session: orm.Session, rows: Sequence[AdminAudit]) -> None:
        user_ids: set[int] = set()
        kiosk_ids: set[int] = set()
        for row in rows:
            kind, _sep, key = row.target.partition(":")
            if key.isdigit():
                {"user": user_ids, "kiosk": kiosk_ids}.get(kind, set()).add(int(key))
            for values in (row.before or {}, row.after or {}):
                for field in PEOPLE_FIELDS & values.keys():
                    user_ids.update(_ids(values[field]))
        self.users = dict(session.execute(sa.select(User.id, User.name)
                                          .where(User.id.in_(user_ids))).all()) if user_ids else {}
        self.kiosks = dict(session.execute(
            sa.select(KioskDevice.id, KioskDevice.name).where(KioskDevice.id.in_(kiosk_ids))
        ).all()) if kiosk_ids else {}

    def person(self, user_id: int) -> str:
        return self.users.get(user_id) or _("medewerker #%(id)s", id=user_id)

    def target(self, target: str) -> str:
        kind, _sep, key = target.partition(":")
        number = int(key) if key.isdigit() else None
        if kind == "user" and number is not None:
            return self.person(number)
        if kind == "case":
            return _("melding #%(id)s", id=key)
        if kind == "group":
            return _("groep %(number)s", number=key)
        if kind == "kiosk" and number is not None:
            return self.kiosks.get(number) or _("kiosk #%(id)s", id=key)
        if kind == "rule":
            return _("regel #%(id)s", id=key)
        if kind == "setting":
            return str(SETTINGS.get(key, key))
        if kind == "retention_rule":
            return _("bewaartermijn: %(what)s", what=category_label(key))
        if kind == "calendar":
            return key
        if kind == "subject_request":
            return _("verzoek #%(id)s", id=key)
        if target == "leerlingen":
            return _("leerlingen")
        if kind == "deletion_batch":
            return _("verwijderronde #%(id)s", id=key)
        return target

    def changes(self, before: dict[str, Any] | None, after: dict[str, Any] | None
                ) -> list[Change]:
        before, after = before or {}, after or {}
        fields = [f for f in dict.fromkeys([*before, *after]) if f not in HIDDEN]
        found = []
        for field in fields:
            old, new = before.get(field), after.get(field)
            if field in before and field in after and old == new:
                continue
            found.append(Change(str(FIELDS.get(field, field)),
                                self.value(field, old) if field in before else None,
                                self.value(field, new) if field in after else None))
        return found

    def value(self, field: str, value: Any) -> str:
        if value is None or value == [] or value == "":
            return "—"
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        if field in PEOPLE_FIELDS:
            return ", ".join(self.person(i) for i in _ids(value))
        if field in ROLE_FIELDS:
            return ", ".join(role_label(r) for r in _list(value))
        if field in CASE_FIELDS:
            return ", ".join(f"#{c}" for c in _list(value))
        if field in MOMENT_FIELDS and isinstance(value, str):
            return _moment(value)
        if field == "category":
            return str(category_label(value))
        if field == "workdays" and isinstance(value, str):
            return ", ".join(str(WEEKDAYS.get(d, d)) for d in value)
        if isinstance(value, dict):
            return ", ".join(f"{k}: {self.value(k, v)}" for k, v in value.items())
        if isinstance(value, list):
            return ", ".join(self.value(field, v) for v in value)
        return str(value)


def _moment(value: str) -> str:
    """An ISO moment in the reader's words and time zone; an ISO date as a date."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) == 10:  # a date
        return format_date(moment.date(), "EEE d MMM yyyy")
    return time_tag(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _ids(value: Any) -> Iterable[int]:
    return [v for v in _list(value) if isinstance(v, int) and not isinstance(v, bool)]
