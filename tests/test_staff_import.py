"""CSV import of staff and groups: preview, per-line report, nothing saved unless confirmed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from admin_support import login_2fa
from conftest import post_form

from tracker.admin import staff_import
from tracker.admin.service import AdminError
from tracker.models import AdminAudit, Group, OutboxMail, User

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

GOOD = (
    "naam;email;rollen;groepen;werkdagen\n"
    "Joost Jansen;joost@linde.nl;leerkracht;3;ma di wo\n"
    "Zoë Çelik;zoe@linde.nl;leerkracht;3;do vr\n"
    "Bea Bos;bea@linde.nl;ib|anti_pest;;12345\n"
    "Carla Combi;carla@linde.nl;leerkracht;78;\n"
)


def count_users(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_are_detected(session, encoding):
    preview = staff_import.parse(session, GOOD.encode(encoding))
    assert preview.ok, [line.errors for line in preview.lines]
    assert [line.name for line in preview.lines][1] == "Zoë Çelik"
    assert preview.encoding == {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)",
                                "cp1252": "Windows-1252"}[encoding]


def test_comma_separated_with_english_headers(session):
    data = b'name,email,roles,groups,workdays\n"Ann A",ann@x.nl,"leerkracht,ib",5,1 2\n'
    preview = staff_import.parse(session, data)
    assert preview.ok
    line = preview.lines[0]
    assert line.roles == ("leerkracht", "ib") and line.groups == (5,) and line.workdays == "12"


@pytest.mark.parametrize("csv_text, line_no, message", [
    ("naam;email;rollen\nA;a@x.nl;toverfee\n", 2, "Onbekende rol 'toverfee'"),
    ("naam;email;rollen\nA;a@x.nl;ib\nB;A@x.nl;ib\n", 3, "staat ook op regel 2"),
    ("naam;email;rollen\nA;geen-adres;ib\n", 2, "klopt niet"),
    ("naam;email;rollen\n;a@x.nl;ib\n", 2, "naam ontbreekt"),
    ("naam;email;rollen;groepen\nA;a@x.nl;leerkracht;zeven\n", 2, "Groep 'zeven'"),
    ("naam;email;rollen;werkdagen\nA;a@x.nl;ib;maan\n", 2, "Werkdag 'maan'"),
])
def test_bad_lines_are_reported_per_line_in_dutch(session, csv_text, line_no, message):
    preview = staff_import.parse(session, csv_text.encode())
    assert not preview.ok
    bad = [line for line in preview.lines if line.errors]
    assert bad[0].number == line_no and message in " ".join(bad[0].errors)


@pytest.mark.parametrize("csv_text, message", [
    ("naam;mail;rolen\nA;a@x.nl;ib\n", "Onbekende kolom 'rolen'"),
    ("naam;rollen\nA;ib\n", "ontbreken: email"),
    ("", "leeg"),
])
def test_wrong_columns_are_a_file_error(session, csv_text, message):
    preview = staff_import.parse(session, csv_text.encode())
    assert not preview.ok and message in " ".join(preview.file_errors)


def test_nothing_is_saved_when_a_line_is_wrong(session):
    before = count_users(session)
    with pytest.raises(AdminError):
        staff_import.apply(session, None, NOW, (GOOD + "X;x@linde.nl;heks;;\n").encode())
    assert count_users(session) == before


def test_apply_then_reimport_changes_nothing(session):
    preview, created = staff_import.apply(session, None, NOW, GOOD.encode("utf-8-sig"))
    assert len(created) == 4
    group3 = session.scalar(sa.select(Group).where(Group.number == 3))
    assert {t.email for t in group3.teachers} >= {"joost@linde.nl", "zoe@linde.nl"}
    combi = session.scalar(sa.select(Group).where(Group.number == 78))
    assert [t.email for t in combi.teachers] == ["carla@linde.nl"]
    bea = session.scalar(sa.select(User).where(User.email == "bea@linde.nl"))
    assert bea.role_keys == {"ib", "anti_pest"}
    audits = session.scalar(sa.select(sa.func.count()).select_from(AdminAudit))
    again = staff_import.parse(session, GOOD.encode("cp1252"))
    assert [line.action for line in again.lines] == ["same"] * 4
    _, created = staff_import.apply(session, None, NOW, GOOD.encode("cp1252"))
    assert created == []
    assert session.scalar(sa.select(sa.func.count()).select_from(AdminAudit)) == audits


def test_changed_line_is_shown_as_a_change(session):
    staff_import.apply(session, None, NOW, GOOD.encode())
    changed = GOOD.replace("Bea Bos;bea@linde.nl;ib|anti_pest;;12345",
                           "Bea Bos;bea@linde.nl;ib;;ma")
    preview = staff_import.parse(session, changed.encode())
    bea = next(line for line in preview.lines if line.email == "bea@linde.nl")
    assert bea.action == "update" and any("rollen" in c for c in bea.changes)


def test_import_cannot_remove_the_last_vp(session):
    data = b"naam;email;rollen\nEls Janssen;vp@demo.meldpunt.test;leerkracht\n"
    with pytest.raises(AdminError, match="vertrouwenspersoon"):
        staff_import.apply(session, None, NOW, data)


def test_preview_then_confirm_through_the_pages(client, session):
    from io import BytesIO
    login_2fa(client, session, "admin")
    page = client.get("/admin/import/")
    assert "werkdagen" in page.get_data(as_text=True)  # the columns are documented on the page
    before = count_users(session)
    response = post_form(client, "/admin/import/",
                         {"file": (BytesIO(GOOD.encode()), "staf.csv")}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "4 nieuw" in html
    assert count_users(session) == before  # a preview saves nothing
    assert 'checked id="send_invites"' in html  # invitations are on unless unticked
    response = post_form(client, "/admin/import/bevestigen", {}, form_url="/admin/import/",
                         page=response)
    assert response.status_code == 303
    assert count_users(session) == before + 4
    invites = session.scalars(sa.select(OutboxMail).where(OutboxMail.template == "invite")).all()
    assert {m.to for m in invites} >= {"joost@linde.nl", "carla@linde.nl"}


def test_bad_file_shows_the_report_and_no_confirm_button(client, session):
    from io import BytesIO
    login_2fa(client, session, "admin")
    bad = "naam;email;rollen\nA;a@x.nl;heks\n".encode("cp1252")
    response = post_form(client, "/admin/import/", {"file": (BytesIO(bad), "staf.csv")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Onbekende rol" in html
    assert "Bevestigen en opslaan" not in html
