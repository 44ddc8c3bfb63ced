"""Help outside school (docs/DESIGN.md §14, issue 12.3): the kiosk's endings and answer screens name
De Kindertelefoon in child words; the parents' thanks page names Veilig Thuis."""

from __future__ import annotations

import html as htmllib

from tests.conftest import enrol_kiosk
from tests.test_follow_up import parent_report
from tests.test_kiosk import five_taps, follow_up_with_code, picture_code, tap

KINDERTELEFOON = "Bel De Kindertelefoon: 0800-0432"
ANONYMOUS = "je hoeft je naam niet te zeggen"


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def test_every_kiosk_ending_and_answer_screen_names_de_kindertelefoon(client, session):
    enrol_kiosk(client, session)
    five_taps(client)
    done = text(client.get("/kiosk/klaar"))
    assert KINDERTELEFOON in done and ANONYMOUS in done and "gratis" in done
    assert "Ga nu meteen naar een juf of meester" not in done  # not in danger: no alarm

    follow_up_with_code(client, picture_code(done))
    status = text(client.get("/kiosk/code/melding"))
    assert KINDERTELEFOON in status and ANONYMOUS in status
    tap(client, "/kiosk/code/melding", reply="thanks")
    assert KINDERTELEFOON in text(client.get("/kiosk/code/verstuurd"))

    client.get("/kiosk/taal/en?stap=start")
    five_taps(client)
    english = text(client.get("/kiosk/klaar"))
    assert "Call De Kindertelefoon" in english and "0800-0432" in english
    assert "you don't have to say your name" in english


def test_the_danger_ending_still_sends_the_child_to_an_adult_first(client, session):
    enrol_kiosk(client, session)
    five_taps(client, category="threat_violence", danger="yes")
    done = text(client.get("/kiosk/klaar"))
    adult = done.index("Ga nu meteen naar een juf of meester.")
    assert adult < done.index(KINDERTELEFOON)


def test_parents_thanks_page_names_veilig_thuis(client):
    parent_report(client)
    thanks = text(client.get("/melden/bedankt"))
    assert "Veilig Thuis: 0800-2000" in thanks and "dag en nacht" in thanks
    assert "Kindertelefoon" not in thanks
