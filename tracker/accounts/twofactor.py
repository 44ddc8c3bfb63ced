"""Two-factor login: TOTP (RFC 6238) with one-time recovery codes.

Required for the roles that read sealed or legally sensitive cases; optional for others.
The TOTP secret is stored encrypted (models.User.totp_secret is an EncryptedString); recovery
codes are stored only as SHA-256 hashes — they are 80-bit random values, so a fast hash is
enough (unlike passwords, they cannot be guessed from a dictionary).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import orm

from tracker.accounts.auth import end_sessions
from tracker.domain.numbers import ascii_digits
from tracker.models import Role, User

REQUIRED_ROLES = frozenset({Role.VERTROUWENSPERSOON, Role.DIRECTIE, Role.BESTUUR, Role.FG,
                            Role.ADMIN})
RECOVERY_CODES = 10
STEP = 30
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def required_for(user: User) -> bool:
    """Return whether this person must use a second factor."""
    return bool(user.role_keys & {r.value for r in REQUIRED_ROLES})


def is_enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def needs_second_factor(user: User) -> bool:
    """Return whether login must continue to a code (or to enrolment) after the password."""
    return required_for(user) or is_enrolled(user)


def pending_secret(session: orm.Session, user: User) -> str:
    """Return the secret to enrol with; kept across reloads until it is confirmed."""
    if is_enrolled(user):
        raise ValueError("already enrolled")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        session.flush()
    return user.totp_secret


def provisioning_uri(user: User, issuer: str) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """Return the QR code of an otpauth URI as an SVG data: URI (no script, CSP-safe)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _step(now: datetime) -> int:
    return int(now.timestamp()) // STEP


def _accept_totp(user: User, code: str, now: datetime) -> bool:
    """Accept a code of this, the previous or the next step, never a step used before."""
    totp = pyotp.TOTP(user.totp_secret)
    current = _step(now)
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalize(code: str) -> str:
    return re.sub(r"[\s-]", "", (code or "").lower())[:64]


def new_recovery_codes() -> list[str]:
    """Return fresh recovery codes like 'k3nb-7q2x-m4ta-p9vd' (80 random bits each)."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_BASE32) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


def confirm_enrolment(session: orm.Session, user: User, code: str,
                      now: datetime) -> list[str] | None:
    """Turn 2FA on when the code proves the authenticator works; return recovery codes."""
    code = _normalize(code)
    if is_enrolled(user) or not user.totp_secret or not ascii_digits(code) \
            or not _accept_totp(user, code, now):
        return None
    codes = new_recovery_codes()
    user.recovery_codes = [_hash(_normalize(c)) for c in codes]
    user.totp_enabled_at = now
    session.flush()
    return codes


def verify(session: orm.Session, user: User, code: str, now: datetime) -> str | None:
    """Check a login code; return 'totp' or 'recovery' when accepted, else None."""
    code = _normalize(code)
    if not is_enrolled(user) or not code:
        return None
    if ascii_digits(code) and len(code) == 6:
        ok = _accept_totp(user, code, now)
        session.flush()
        return "totp" if ok else None
    hashed = _hash(code)
    stored = list(user.recovery_codes or [])
    for known in stored:
        if hmac.compare_digest(known, hashed):
            stored.remove(known)  # one-time
            user.recovery_codes = stored
            session.flush()
            return "recovery"
    return None


def reset(session: orm.Session, actor: User | None, user: User, now: datetime) -> None:
    """Remove a person's second factor (lost phone) and end their sessions; audited."""
    from tracker.admin.service import audit

    was_enrolled = user.totp_enabled_at is not None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_codes = None
    end_sessions(user)
    audit(session, actor, now, "staff.twofactor_reset", f"user:{user.id}",
          {"second_factor": was_enrolled}, {"second_factor": False})
    session.flush()
