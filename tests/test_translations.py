"""The English catalogue is complete, and staff and admin pages (and refusals) speak English."""

from __future__ import annotations

import ast
import html as htmllib
import re
from datetime import datetime
from pathlib import Path

from admin_support import login_2fa
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from conftest import act, login, post_form

from tracker.core.messages import LABELS, translate_message
from tracker.domain.calendar import TZ
from tracker.domain.messages import Message
from tracker.domain.roles import ROLE_LABELS_NL
from tracker.domain.states import ACTION_LABELS_NL, STATE_LABELS_NL
from tracker.models import ReporterType
from tracker.reporting.service import ReportInput, submit_report

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "tracker" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Exceptions whose Dutch message a view shows to the user.
USER_FACING = {"AdminError", "ActionRefused", "TokenError", "ActionNotAllowed"}


def catalogue():
    with open(PO, "rb") as f:
        return read_po(f)


def text_of(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    problems = []
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (
            message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        elif not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
        elif any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(ids[-1]))
                 for s in strings):
            problems.append(f"placeholders differ: {ids[0]!r}")
    assert not problems, "run `make translations` and translate:\n" + "\n".join(problems)


def test_every_string_in_the_code_is_in_the_catalogue():
    """Catches a new _("…") that nobody ran `make translations` for."""
    methods = [("tracker/**.py", "python"), ("tracker/**/templates/**.html", "jinja2"),
               ("tracker/**/templates/**.txt", "jinja2")]
    keywords = dict(DEFAULT_KEYWORDS) | {"_l": None}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue()}
    missing = set()
    for path in ("tracker",):
        for filename, _line, message, _comments, _context in extract_from_dir(
                ROOT / path, [(f"**.{m.split('.')[-1]}", how) for m, how in methods],
                keywords=keywords):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid not in known:
                missing.add(f"{path}/{filename}: {msgid}")
    assert not missing, "not extracted (run `make translations`):\n" + "\n".join(
        sorted(missing))


def test_staff_queue_and_case_page_in_english(app, client, session):
    case = submit_report(session, ReportInput(
        submission_key="i18n-1", channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="Hij wordt elke pauze geduwd.", group_number=5),
        datetime(2026, 9, 14, 10, tzinfo=TZ)).case
    session.flush()
    login(client, "leerkracht5")
    assert client.get("/taal/en?next=/cases/").headers["Location"].endswith("/cases/")
    queue = text_of(client.get("/cases/"))
    assert '<html lang="en">' in queue
    assert "Filter by status" in queue and "Filter op status" not in queue
    page = text_of(client.get(f"/cases/{case.id}"))
    assert "I'll take this on" in page and "Ik pak dit op" not in page
    assert "Timeline" in page and "Tijdlijn" not in page


def _post_action(client, case_id: int, action: str, data: dict) -> str:
    return text_of(act(client, case_id, action, data, follow=True))


def test_refusals_from_the_services_and_the_state_machine_are_shown_in_english(
        app, client, session):
    case = submit_report(session, ReportInput(
        submission_key="i18n-2", channel="web", reporter_type=ReporterType.PARENT,
        category="bullying", description="Ze wordt buitengesloten.", group_number=5),
        datetime(2026, 9, 14, 10, tzinfo=TZ)).case
    session.flush()
    login(client, "leerkracht5")
    client.get("/taal/en?next=/cases/")
    act(client, case.id, "acknowledge")
    # A service refusal with a value in it (ActionRefused).
    html = _post_action(client, case.id, "link", {"other": "999999"})
    assert "You cannot link report #999999: not found." in html
    # The state machine's own refusal (ActionNotAllowed), with translated words in it.
    # No page offers 'close' now; a crafted request (the action form of another state) meets
    # the state machine's own refusal.
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    token = re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', page)[1]
    version = re.search(r'name="\w+-version" type="hidden" value="(\d+)"', page)[1]
    html = text_of(client.post(f"/cases/{case.id}/close", follow_redirects=True, data={
        "close-csrf_token": token, "close-version": version}))
    assert "'Close' is not possible for a case with status 'acknowledged'." in html
    assert "kan niet bij een casus" not in html


def test_admin_pages_and_admin_refusals_in_english(client, session):
    login_2fa(client, session, "admin")
    client.get("/taal/en?next=/admin/")
    page = text_of(client.get("/admin/"))
    assert '<html lang="en">' in page
    assert "Get the school ready in this order:" in page
    assert "Zet de school klaar" not in page
    clash = post_form(client, "/admin/groepen/nieuw", {"number": "5", "name": "x"})
    assert clash.status_code == 422
    assert "There is already a class with number 5" in text_of(clash)


def _sample(node: ast.expr) -> str:
    """The Dutch text of a message expression, with 7 for every value put into it."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message":
        return Message(_sample(node.args[0]), **{k.arg: 7 for k in node.keywords})
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "7" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _sample(node.left) + _sample(node.right)
    return "7"


def raised_messages() -> list[tuple[str, str]]:
    """Every Dutch message the services, views and state machine raise to the user."""
    files = [*sorted(path for path in (ROOT / "tracker").glob("*/*.py")
                     if path.parent.name not in ("domain", "migrations")),
             ROOT / "tracker" / "domain" / "states.py"]
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and getattr(
                    node.func, "id", getattr(node.func, "attr", None)) in USER_FACING:
                found.append((f"{path.name}:{node.lineno}", _sample(node.args[0])))
            elif isinstance(node, ast.FunctionDef) and node.name == "_blocker":
                found += [(f"{path.name}:{r.lineno}", _sample(r.value)) for r in ast.walk(node)
                          if isinstance(r, ast.Return) and r.value is not None]
    return [(where, text) for where, text in found if re.search(r"[a-z]{3}", text)]


def test_every_raised_message_has_an_english_translation(app):
    messages = raised_messages()
    assert len(messages) > 40  # the scan found them
    with app.test_request_context("/?lang=en"):
        untranslated = [f"{where}: {text}" for where, text in messages
                        if translate_message(text) == str(text)]
        # A sentence with values is translated from its parts, its words too.
        assert translate_message(Message(
            "'%(action)s' kan niet bij een casus met status '%(state)s'.", action="Oppakken",
            state="gesloten")) == "'Acknowledge' is not possible for a case with status 'closed'."
        assert translate_message(ValueError(Message(
            "Dit kan niet: dan is er geen enkele actieve %(role)s meer. Geef eerst iemand anders "
            "de rol %(role)s.", role="beheerder"))).count("administrator") == 2
    assert not untranslated, "add to tracker/core/messages.py:\n" + "\n".join(untranslated)
    with app.test_request_context("/"):
        assert translate_message("Deze actie bestaat niet.") == "Deze actie bestaat niet."


def test_routing_notes_have_an_english_translation(app):
    from tracker.domain import routing_text as rt

    notes = [*rt.NOT_CONFIDENTIAL.values(), *rt.NOTES_SEXUAL, rt.NOTE_BREACH, *rt.NOTES_DANGER,
             rt.NOTE_POLICE_IMAGES, rt.NOTE_SEXUAL_OTHER_ADULT, rt.NOTE_MELDCODE,
             rt.NOTE_CONFIDENTIAL, rt.NOBODY, rt.NO_VP]
    with app.test_request_context("/?lang=en"):
        untranslated = [note for note in notes if translate_message(note) == note]
    assert not untranslated, "add to tracker/core/messages.py:\n" + "\n".join(untranslated)


def test_domain_words_are_listed_for_translation():
    words = {*STATE_LABELS_NL.values(), *ACTION_LABELS_NL.values(), *ROLE_LABELS_NL.values()}
    assert words <= set(LABELS), sorted(words - set(LABELS))
