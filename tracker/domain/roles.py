"""Role keys and their Dutch labels."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Staff roles; `leerkracht` in a rule means the teacher(s) of the report's group."""

    LEERKRACHT = "leerkracht"
    IB = "ib"
    ANTI_PEST = "anti_pest"
    DIRECTIE = "directie"
    VERTROUWENSPERSOON = "vertrouwenspersoon"
    BESTUUR = "bestuur"
    FG = "fg"
    ADMIN = "admin"


# The roles a report can be routed to and a case assigned to: every role but the admin's.
CASE_ROLES: tuple[str, ...] = tuple(role.value for role in Role if role is not Role.ADMIN)

ROLE_LABELS_NL: dict[str, str] = {
    Role.LEERKRACHT: "de leerkracht",
    Role.IB: "de IB'er",
    Role.ANTI_PEST: "de anti-pestcoördinator",
    Role.DIRECTIE: "de directie",
    Role.VERTROUWENSPERSOON: "de vertrouwenspersoon",
    Role.BESTUUR: "het bestuur",
    Role.FG: "de FG",
    Role.ADMIN: "de beheerder",
}

ROLE_LABELS_EN: dict[str, str] = {
    Role.LEERKRACHT: "the teacher",
    Role.IB: "the pupil-care coordinator (IB)",
    Role.ANTI_PEST: "the anti-bullying coordinator",
    Role.DIRECTIE: "the school head",
    Role.VERTROUWENSPERSOON: "the confidential counsellor",
    Role.BESTUUR: "the school board",
    Role.FG: "the data protection officer",
    Role.ADMIN: "the administrator",
}

# Who takes over when a role has nobody available (or is the subject of the report).
SUCCESSOR: dict[str, str] = {
    Role.LEERKRACHT: Role.IB,
    Role.ANTI_PEST: Role.IB,
    Role.IB: Role.DIRECTIE,
    Role.FG: Role.DIRECTIE,
    Role.DIRECTIE: Role.BESTUUR,
}


def role_label(role: str) -> str:
    """Return the Dutch label of a role key."""
    return ROLE_LABELS_NL.get(role, role)
