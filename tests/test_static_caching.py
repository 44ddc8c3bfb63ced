"""Static files are kept by the browser for a while; pages and the session are not touched."""

from __future__ import annotations

from tests.conftest import enrol_kiosk, login
from tracker.core.security import STATIC_MAX_AGE


def test_static_files_are_cached_for_a_while_whoever_asks(app, client, session):
    for who in (None, "leerkracht5"):
        visitor = app.test_client()
        if who:
            login(visitor, who)
        response = visitor.get("/static/css/app.css")
        response.close()  # a file response: close it, as the server does
        assert response.status_code == 200
        assert response.cache_control.public
        assert response.cache_control.max_age == STATIC_MAX_AGE
        assert not response.cache_control.no_cache
        assert response.headers.get("ETag")
        # No Vary: Cookie and no cookie: a tablet whose cookie changes keeps its copy.
        assert "cookie" not in response.headers.get("Vary", "").lower()
        assert "Set-Cookie" not in response.headers
        again = visitor.get("/static/css/app.css",
                            headers={"If-None-Match": response.headers["ETag"]})
        again.close()
        assert again.status_code == 304
    # The pages themselves are never kept.
    enrol_kiosk(client, session)
    assert client.get("/kiosk/").headers["Cache-Control"] == "no-store"
    assert "no-store" in app.test_client().get("/melden").headers["Cache-Control"]
