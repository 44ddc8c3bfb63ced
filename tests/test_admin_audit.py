"""The admin audit log (Beheer → Logboek) reads in words."""

from __future__ import annotations

import ast
import html as htmllib
from pathlib import Path

import sqlalchemy as sa
from admin_support import login_2fa
from conftest import post_form

from tracker.admin import audit_words
from tracker.models import User


def user(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == f"{who}@demo.meldpunt.test"))


def _audit_actions() -> set[str]:
    """Every action an audit(...) call in tracker/ can write (string literals, both arms of
    a conditional, module constants, and f"prefix.{kind}" with the kinds the module allows)."""
    root = Path(__file__).resolve().parent.parent / "tracker"
    found: set[str] = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        constants = {t.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                     and isinstance(node.value, ast.Constant) for t in node.targets
                     if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and len(node.args) >= 4 and getattr(
                    node.func, "id", getattr(node.func, "attr", None)) == "audit"):
                continue
            action = node.args[3]
            if isinstance(action, ast.JoinedStr):
                prefix = action.values[0].value
                found.update(f"{prefix}{kind}" for kind in KINDS[prefix])
                continue
            for part in ast.walk(action):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.add(part.value)
                elif isinstance(part, ast.Name) and part.id in constants:
                    found.add(constants[part.id])
    return found


# The kinds an f-string action may take (tracker/retention/subject_access.py refuses others).
KINDS = {"subject_request.": ("access", "correction", "erasure")}


def test_every_audit_action_written_anywhere_has_a_label():
    actions = _audit_actions()
    assert {"staff.update", "role.propose", "kiosk.enrol", "retention.deleted",
            "rule.disable", "subject_request.erasure"} <= actions  # the scan finds them
    assert not actions - audit_words.ACTIONS.keys(), "give these audit actions a label"


def test_the_log_reads_in_words(client, session):
    login_2fa(client, session, "admin")
    target = user(session, "leerkracht3")
    post_form(client, f"/admin/medewerkers/{target.id}", {
        "name": target.name, "roles": ["leerkracht", "anti_pest"], "workdays": ["1", "2"]})
    html = htmllib.unescape(client.get("/admin/audit").get_data(as_text=True))
    assert "Medewerker gewijzigd: Chantal Dekker" in html
    assert "werkdagen: ma, di, wo, do, vr → ma, di" in html
    assert "rollen: leerkracht → anti-pestcoördinator, leerkracht" in html
    assert "staff.update" not in html and "user:" not in html and '"workdays"' not in html


def test_a_kiosk_enrolment_reads_its_link_expiry_as_a_date(client, session):
    login_2fa(client, session, "admin")
    post_form(client, "/admin/kiosks/", {"name": "Hal boven"})
    html = htmllib.unescape(client.get("/admin/audit").get_data(as_text=True))
    assert "Kiosk aangemeld: Hal boven" in html
    assert "aanmeldlink geldig tot: <time" in html and "link_expires" not in html
