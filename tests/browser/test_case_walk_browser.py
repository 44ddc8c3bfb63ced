"""One bullying case from the kiosk to closed, by clicking only: the child, then the teacher."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.test_reporting_browser import enrol, tap
from tracker.models import Case, CaseEvent
from tracker.setup.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def open_and_send(page, summary: str, button: str | None = None, **fields) -> None:
    """Open a case action (a <details>), fill its labelled fields, press its button."""
    action = page.locator("details.case-action", has=page.locator("summary", has_text=summary))
    action.locator("summary").click()
    for label, value in fields.items():
        control = action.get_by_label(label)  # "Uitkomst" finds "Uitkomst (intern: …)" too
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        elif control.get_attribute("type") == "radio":
            control.check()
        else:
            control.fill(value)
    with page.expect_navigation():
        action.get_by_role("button", name=button or summary, exact=True).click()


def test_a_bullying_case_from_the_kiosk_to_closed_by_clicking(page, browser, live_server):
    # The child, at the hallway tablet.
    enrol(page, live_server)
    for answer in ("Ik word gepest / iemand wordt gepest", "Op school", "Ja, ik zeg wie ik ben",
                   "Groep 6", "Nee", "Ja, graag"):
        tap(page, answer)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dank je wel!")

    # The teacher of groep 6, on her laptop.
    staff = browser.new_context(base_url=live_server.url, locale="nl-NL")
    teacher = staff.new_page()
    teacher.set_default_timeout(5000)
    teacher.goto("/login")
    teacher.get_by_label("E-mailadres").fill("leerkracht6@demo.meldpunt.test")
    teacher.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    tap(teacher, "Inloggen")
    with live_server.session() as session:
        case_id = session.scalar(sa.select(sa.func.max(Case.id)))
    with teacher.expect_navigation():
        teacher.locator(f'a[href="/cases/{case_id}"]').first.click()
    expect(teacher.get_by_role("heading", level=1)).to_contain_text(f"#{case_id}")

    tap(teacher, "Ik pak dit op")
    due = (date.today() + timedelta(days=7)).isoformat()
    open_and_send(teacher, "Actie toevoegen", **{"Actie": "Gesprek met de klas",
                                                 "Wie doet het": "Floor Willems",
                                                 "Uiterlijk op": due})
    expect(teacher.locator("body")).to_contain_text("Gesprek met de klas")
    tap(teacher, "Afvinken")
    open_and_send(teacher, "Afronden", **{"Uitkomst": "Gesprek gevoerd, het pesten is besproken."})
    open_and_send(teacher, "Controle vastleggen: is het gestopt?", **{"Ja, het is gestopt": "x"})
    open_and_send(teacher, "Sluiten")
    expect(teacher.locator("body")).to_contain_text("De melding is gesloten.")
    staff.close()

    with live_server.session() as session:
        case = session.get(Case, case_id)
        assert case.status.value == "closed"
        kinds = list(session.scalars(sa.select(CaseEvent.kind).where(
            CaseEvent.case_id == case_id).order_by(CaseEvent.id)))
    for kind in ("acknowledged", "action_added", "action_done", "resolved", "check_recorded",
                 "closed"):
        assert kind in kinds, kinds
