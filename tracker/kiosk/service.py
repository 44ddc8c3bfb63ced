"""Kiosk devices (enrol, recognise, revoke) and turning a child's taps into a report."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import orm

from tracker.admin.service import audit
from tracker.domain.categories import categories_for
from tracker.domain.messages import Message
from tracker.models import KioskDevice, ReporterType, User
from tracker.reporting.service import ReportInput

ENROL_LIFETIME = timedelta(hours=24)
COOKIE_NAME = "meldpunt_kiosk"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600
NAME_MAX = 30
TEXT_MAX = 500

LOCATIONS = ("school", "online", "onderweg", "thuis", "elders")
KIOSK_CATEGORIES = tuple(c.key for c in categories_for("child"))


class KioskError(Exception):
    """An enrolment or revocation that cannot be done; the message says why."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def snapshot(device: KioskDevice) -> dict:
    """What the audit log keeps of a device, before and after a change."""
    return {"name": device.name, "enrolled": device.enrolled_at is not None,
            "revoked": device.revoked_at is not None}


def start_enrolment(session: orm.Session, actor: User | None, name: str,
                    now: datetime) -> tuple[KioskDevice, str]:
    """Create (or re-enrol) a device by name; return it and its one-time enrolment token.

    Audited as the admin page and `flask kiosk enroll` both do it (actor None: the console).
    """
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise KioskError("Geef het apparaat een naam van 1 tot 80 tekens.")
    device = session.scalar(sa.select(KioskDevice).where(KioskDevice.name == name))
    before = snapshot(device) if device else None
    if device is None:
        device = KioskDevice(name=name, created_at=now)
        session.add(device)
    token = secrets.token_urlsafe(32)
    device.enrol_token_hash = _hash(token)
    device.enrol_expires_at = now + ENROL_LIFETIME
    session.flush()
    audit(session, actor, now, "kiosk.enrol", f"kiosk:{device.id}", before,
          snapshot(device) | {"link_expires": device.enrol_expires_at.isoformat()})
    return device, token


def pending_enrolment(session: orm.Session, token: str, now: datetime) -> KioskDevice | None:
    """Return the device this unused, unexpired enrolment token is for."""
    device = session.scalar(sa.select(KioskDevice)
                            .where(KioskDevice.enrol_token_hash == _hash(token or "")))
    if device is None or device.enrol_expires_at is None or device.enrol_expires_at < now:
        return None
    return device


def complete_enrolment(session: orm.Session, token: str, now: datetime) -> KioskDevice | None:
    """Enrol the device: a fresh secret (old cookies die), the token is used up."""
    device = pending_enrolment(session, token, now)
    if device is None:
        return None
    device.device_secret = secrets.token_hex(32)
    device.enrolled_at, device.revoked_at = now, None
    device.enrol_token_hash, device.enrol_expires_at = None, None
    session.flush()
    return device


def revoke(session: orm.Session, actor: User | None, name: str, now: datetime) -> KioskDevice:
    """Stop a device from working as a kiosk; its cookie is refused from now on. Audited."""
    device = session.scalar(sa.select(KioskDevice).where(KioskDevice.name == name))
    if device is None:
        raise KioskError(Message("Er is geen kiosk met de naam %(name)s.", name=name))
    before = snapshot(device)
    device.revoked_at = now
    device.device_secret = None
    device.enrol_token_hash, device.enrol_expires_at = None, None
    session.flush()
    audit(session, actor, now, "kiosk.revoke", f"kiosk:{device.id}", before, snapshot(device))
    return device


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="meldpunt-kiosk-device")


def device_cookie(secret_key: str, device: KioskDevice) -> str:
    """Return the signed cookie value that marks a browser as this kiosk device."""
    return _serializer(secret_key).dumps({"d": device.id, "s": device.device_secret})


def device_from_cookie(session: orm.Session, secret_key: str,
                       value: str | None) -> KioskDevice | None:
    """Return the enrolled, unrevoked device a cookie belongs to, else None."""
    if not value:
        return None
    try:
        data = _serializer(secret_key).loads(value)
        device_id, device_secret = int(data["d"]), str(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    device = session.get(KioskDevice, device_id)
    if (device is None or device.revoked_at is not None or not device.device_secret
            or not secrets.compare_digest(device.device_secret, device_secret)):
        return None
    return device


@dataclass(frozen=True)
class Draft:
    """What a child has tapped so far (lives in the kiosk's session until sent)."""

    key: str
    category: str | None = None
    location: str | None = None
    name: str | None = None
    group: int | None = None
    anonymous: bool | None = None
    danger: bool | None = None
    talk: bool | None = None
    language: str = "nl"

    def to_input(self, description: str) -> ReportInput:
        """Return the report this draft describes, from a child on the kiosk."""
        return ReportInput(
            submission_key=self.key, channel="kiosk", reporter_type=ReporterType.CHILD,
            category=self.category or "other", description=description,
            group_number=self.group, location=self.location,
            reporter_name=None if self.anonymous else (self.name or None),
            danger=bool(self.danger), wants_talk=bool(self.talk), language=self.language)
