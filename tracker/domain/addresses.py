"""The one rule for an e-mail address typed anywhere (forms, CSV import, the CLI).

Built on email-validator (syntax only: no DNS look-up, schools use internal domains):
- the part before the @ is plain ASCII (mail servers without SMTPUTF8 refuse anything else);
- the domain needs a dot and may be internationalised (`ouder@bücher.nl`): it is kept as typed
  (lower case, Unicode) and sent IDNA-encoded (`ouder@xn--bcher-kva.nl`, see ascii_address);
- no quoted parts, IP literals or special-use domains (.local, .localhost, .invalid); .test is
  allowed for demo and test schools;
- the whole address is stored in lower case, as logins compare it.
"""

from __future__ import annotations

import re

import email_validator
import idna

MAX_LENGTH = 254

# Why an address is refused (the forms and the import say it in the user's language).
INVALID, TOO_LONG, LOCAL_NOT_ASCII = "invalid", "too_long", "local_not_ascii"


class AddressError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _validated(text: str) -> email_validator.ValidatedEmail:
    try:
        return email_validator.validate_email(
            text, check_deliverability=False, test_environment=True, allow_smtputf8=False,
            allow_quoted_local=False, allow_domain_literal=False, allow_display_name=False)
    except email_validator.EmailNotValidError as error:
        local = text.rpartition("@")[0]
        raise AddressError(LOCAL_NOT_ASCII if local and not local.isascii()
                           else INVALID) from error


def normalise_address(text: str) -> str:
    """Return the address as we store it, or raise AddressError with the reason."""
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise AddressError(TOO_LONG)
    checked = _validated(text)
    if "." not in checked.ascii_domain:
        raise AddressError(INVALID)
    return f"{checked.local_part.lower()}@{checked.domain.lower()}"


def lookup_key(text: str) -> str:
    """Return the form to look a typed address up by (log in, password reset, CLI).

    A valid address in any spelling (`Ouder@BÜCHER.nl`, `ouder@xn--bcher-kva.nl`) finds the
    stored one; anything else is compared as typed, in lower case.
    """
    try:
        return normalise_address(text)
    except AddressError:
        return text.strip().lower()


# What SMTP takes: an ASCII local part without separators, an ASCII (IDNA) domain.
_SMTP_LOCAL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+$")
_SMTP_DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")


def ascii_address(address: str) -> str:
    """Return a stored address as SMTP needs it: the domain IDNA-encoded; AddressError if bad.

    Lenient on purpose: an address stored before this rule (e.g. `@school.local`) still goes out.
    """
    local, _, domain = address.strip().rpartition("@")
    if not local.isascii() or not _SMTP_LOCAL.match(local):
        raise AddressError(LOCAL_NOT_ASCII if not local.isascii() else INVALID)
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii") if domain else ""
    except idna.IDNAError as error:
        raise AddressError(INVALID) from error
    if not _SMTP_DOMAIN.match(domain):
        raise AddressError(INVALID)
    return f"{local}@{domain}"
