"""School settings kept in Setting rows; read them with tracker.admin.service.get_setting.

Keys and shapes (defaults in DEFAULTS):
  school_name: str                      shown in the header
  logo: {"mime": str, "data": base64}   served at /school/logo
  vp_contact: {"name", "phone", "email"}  the vertrouwenspersoon on the parents' form
  quiet_hours: {"start": "17:00", "end": "07:30"}
  followup_days: int                    school days before "is het gestopt?"
  default_deadlines: {"ack": "2d", "resolve": "10d"}  for reports no rule matches
  repetition: {"school_days": 20, "place_count": 3}  when a repeating pattern is signalled
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, time
from typing import Any

from sqlalchemy import orm

from tracker.admin.service import AdminError, get_setting, set_setting
from tracker.domain.calendar import END_OF_DAY, QUIET_END, DeadlineSpec
from tracker.domain.messages import Message
from tracker.models import User

DEFAULTS: dict[str, Any] = {
    "school_name": "",
    "vp_contact": {"name": "", "phone": "", "email": ""},
    "quiet_hours": {"start": "17:00", "end": "07:30"},
    "followup_days": 10,
    "default_deadlines": {"ack": "2d", "resolve": "10d"},
    "repetition": {"school_days": 20, "place_count": 3},
}
LOGO_MAX = 200 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SVG_FORBIDDEN = re.compile(rb"<script|<!entity|<!doctype|javascript:|<foreignobject|\son\w+\s*=",
                            re.IGNORECASE)


def current(session: orm.Session, fallback_name: str = "") -> dict[str, Any]:
    """Return the settings as the settings form's data."""
    vp = get_setting(session, "vp_contact", DEFAULTS["vp_contact"])
    quiet = get_setting(session, "quiet_hours", DEFAULTS["quiet_hours"])
    deadlines = get_setting(session, "default_deadlines", DEFAULTS["default_deadlines"])
    repetition_days, repetition_places = repetition_thresholds(session)
    return {
        "school_name": get_setting(session, "school_name", fallback_name),
        "vp_name": vp.get("name", ""), "vp_phone": vp.get("phone", ""),
        "vp_email": vp.get("email", ""),
        "quiet_start": quiet["start"], "quiet_end": quiet["end"],
        "followup_days": get_setting(session, "followup_days", DEFAULTS["followup_days"]),
        "default_ack": deadlines["ack"], "default_resolve": deadlines["resolve"],
        "repetition_days": repetition_days, "repetition_places": repetition_places,
    }


# --- readers for the consumers (each falls back to DEFAULTS when unset or malformed) ------

def _clock(text: Any, default: time) -> time:
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        return default


def quiet_hours(session: orm.Session) -> tuple[time, time]:
    """Return (start, end) of the quiet hours: staff and parents get no non-urgent mail."""
    value = get_setting(session, "quiet_hours", None) or {}
    start = _clock(value.get("start"), END_OF_DAY)
    end = _clock(value.get("end"), QUIET_END)
    return (start, end) if start > end else (END_OF_DAY, QUIET_END)


def followup_days(session: orm.Session) -> int:
    """Return after how many school days a resolved bullying case gets its check."""
    value = get_setting(session, "followup_days", DEFAULTS["followup_days"])
    return value if isinstance(value, int) and value > 0 else DEFAULTS["followup_days"]


def repetition_thresholds(session: orm.Session) -> tuple[int, int]:
    """Return (school days between two bullying cases of a child, cases from one place in a
    month) from which the anti-pestcoördinator is told of a repetition."""
    value = get_setting(session, "repetition", None) or {}
    default = DEFAULTS["repetition"]
    days, places = value.get("school_days"), value.get("place_count")
    return (days if isinstance(days, int) and days > 0 else default["school_days"],
            places if isinstance(places, int) and places > 1 else default["place_count"])


def default_deadlines(session: orm.Session) -> tuple[str, str]:
    """Return the (ack, resolve) deadlines for reports no routing rule matches."""
    value = get_setting(session, "default_deadlines", None) or {}
    result = []
    for key in ("ack", "resolve"):
        text = value.get(key, DEFAULTS["default_deadlines"][key])
        try:
            DeadlineSpec.parse(text)
        except (TypeError, ValueError):
            text = DEFAULTS["default_deadlines"][key]
        result.append(text)
    return result[0], result[1]


def vp_contact(value: Any) -> dict[str, str] | None:
    """Return the vertrouwenspersoon's filled-in contact fields, or None when all are empty."""
    if not isinstance(value, dict):
        return None
    contact = {k: str(value.get(k) or "").strip() for k in ("name", "phone", "email")}
    return contact if any(contact.values()) else None


def validate_logo(filename: str, data: bytes) -> dict[str, str]:
    """Return the stored form of a logo, or refuse it with a Dutch reason."""
    if not data:
        raise AdminError("Het logo-bestand is leeg.")
    if len(data) > LOGO_MAX:
        raise AdminError("Het logo is te groot: ten hoogste 200 kB.")
    if data.startswith(PNG_MAGIC):
        mime = "image/png"
    elif filename.lower().endswith(".svg") and b"<svg" in data[:2048].lower() \
            and not _SVG_FORBIDDEN.search(data):
        mime = "image/svg+xml"
    else:
        raise AdminError("Het logo moet een PNG- of SVG-afbeelding zijn (zonder scripts).")
    return {"mime": mime, "data": base64.b64encode(data).decode("ascii")}


def save(session: orm.Session, actor: User, now: datetime, data: dict[str, Any],
         logo_file=None) -> None:
    """Store the settings form; each changed key is audited."""
    for key in ("default_ack", "default_resolve"):
        try:
            DeadlineSpec.parse(data[key].strip())
        except ValueError:
            raise AdminError(Message(
                "Termijn '%(value)s' begrijpen we niet. Gebruik bijvoorbeeld 1d (schooldag), 4h "
                "(uur), 7cd (kalenderdagen) of 3m.", value=data[key])) from None
    if data["quiet_start"] <= data["quiet_end"]:
        raise AdminError("Stille uren lopen 's avonds door tot de volgende ochtend: "
                         "het begin moet later op de dag liggen dan het einde.")
    set_setting(session, actor, now, "school_name", data["school_name"].strip())
    set_setting(session, actor, now, "vp_contact", {
        "name": (data["vp_name"] or "").strip(), "phone": (data["vp_phone"] or "").strip(),
        "email": (data["vp_email"] or "").strip().lower()})
    set_setting(session, actor, now, "quiet_hours",
                {"start": data["quiet_start"], "end": data["quiet_end"]})
    set_setting(session, actor, now, "followup_days", int(data["followup_days"]))
    if data.get("repetition_days") and data.get("repetition_places"):
        set_setting(session, actor, now, "repetition",
                    {"school_days": int(data["repetition_days"]),
                     "place_count": int(data["repetition_places"])})
    set_setting(session, actor, now, "default_deadlines",
                {"ack": data["default_ack"].strip(), "resolve": data["default_resolve"].strip()})
    if data.get("remove_logo"):
        set_setting(session, actor, now, "logo", None)
    elif logo_file is not None and logo_file.filename:
        set_setting(session, actor, now, "logo",
                    validate_logo(logo_file.filename, logo_file.read(LOGO_MAX + 1)))
