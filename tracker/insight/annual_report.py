"""The yearly overview's own words (issue 14.2): the directie's sections per school year.

Kept in a Setting row per school year ("jaarverslag:2026-2027"); editable until marked final;
set_setting writes every change to the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import orm

from tracker.admin.service import AdminError, get_setting, set_setting
from tracker.domain.insight import DEFAULT_THRESHOLD
from tracker.models import User

SECTIONS = ("policy", "analysis", "measures", "plans")
SECTION_MAX = 10_000
THRESHOLD_KEY = "insight_threshold"


def _key(year: str) -> str:
    return f"jaarverslag:{year}"


def load(session: orm.Session, year: str) -> dict[str, Any]:
    """Return the year's sections ({name: text}) and `final` ({"at", "by"} or None)."""
    stored = get_setting(session, _key(year), {}) or {}
    return {**{name: str(stored.get(name) or "") for name in SECTIONS},
            "final": stored.get("final")}


def save(session: orm.Session, actor: User, now: datetime, year: str,
         texts: dict[str, str]) -> None:
    """Store the directie's sections; refused once the year is marked final."""
    before = load(session, year)
    if before["final"]:
        raise AdminError("Het jaarverslag is definitief en kan niet meer worden gewijzigd.")
    after = {**before, **{name: (texts.get(name) or "").strip()[:SECTION_MAX]
                          for name in SECTIONS}}
    set_setting(session, actor, now, _key(year), after)  # audited there
    session.flush()


def finalize(session: orm.Session, actor: User, now: datetime, year: str) -> None:
    """Mark the year's overview final: its words no longer change."""
    current = load(session, year)
    if current["final"]:
        raise AdminError("Het jaarverslag is definitief en kan niet meer worden gewijzigd.")
    current["final"] = {"at": now.isoformat(), "by": actor.name}
    set_setting(session, actor, now, _key(year), current)
    session.flush()


def threshold(session: orm.Session) -> int:
    """Return the school's small-number threshold (a setting, default 5)."""
    value = get_setting(session, THRESHOLD_KEY, DEFAULT_THRESHOLD)
    return value if isinstance(value, int) and 2 <= value <= 50 else DEFAULT_THRESHOLD
