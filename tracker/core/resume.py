"""Nothing typed is lost: a form sent when it could not be taken is kept and filled in again.

A staff form sent after the session ended (idle, or the cookie gone) and any form sent with
an expired page (CSRF) is stashed on the server, encrypted under the at-rest key, in a file
named by the hash of a one-time token; only that token goes into the session cookie. The next
time this browser opens the page the form was on (after logging in, if need be), the page's
forms are filled in from the stash, once, and the stash is removed. Passwords and codes are
never kept. Nothing of it is logged.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from pathlib import Path

from flask import current_app, g, request, session
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from tracker.core import crypto

SESSION_KEY = "_resume"
KEEP_SECONDS = 12 * 60 * 60
# Never kept: secrets a person types again anyway, and the tokens of the old page.
_NEVER = ("csrf_token", "password", "code")


def _folder() -> Path:
    folder = Path(current_app.config.get("TRACKER_STASH_DIR")
                  or Path(current_app.instance_path) / "stash")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _file(token: str) -> Path:
    return _folder() / hashlib.sha256(token.encode()).hexdigest()


def stash_form(return_to: str) -> bool:
    """Keep the posted form for the page at `return_to`; say whether there was anything."""
    fields = [(name, value) for name, values in request.form.lists() for value in values
              if not any(word in name for word in _NEVER)]
    if not any(value.strip() for _name, value in fields):
        return False
    _forget()
    _sweep()
    token = secrets.token_urlsafe(32)
    payload = json.dumps({"path": return_to, "fields": fields})
    _file(token).write_text(crypto.keyring().encrypt(payload), encoding="ascii")
    session[SESSION_KEY] = token
    return True


def _take() -> MultiDict | None:
    """Take the stash out when this GET opens the page it was kept for."""
    token = session.get(SESSION_KEY)
    if request.method != "GET" or not isinstance(token, str):
        return None
    try:
        kept = json.loads(crypto.keyring().decrypt(_file(token).read_text(encoding="ascii")))
    except (OSError, ValueError, crypto.DecryptionError):
        session.pop(SESSION_KEY, None)
        return None
    if kept["path"] != request.path:
        return None
    _forget()
    return MultiDict(kept["fields"])


def restored_for(field_names: set[str]) -> MultiDict | None:
    """Return the stashed fields when they belong to a form with these fields, else None.

    Asked by each form as the page builds it, so the stash is taken only by a page that
    renders (not by a request that is sent on to the login first).
    """
    if "restored_form" not in g:
        g.restored_form = _take()
    kept = g.restored_form
    if kept is None or not (field_names & set(kept)):
        return None
    return kept


def _forget() -> None:
    token = session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        _file(token).unlink(missing_ok=True)


def _sweep() -> None:
    """Remove stashes nobody came back for."""
    limit = time.time() - KEEP_SECONDS
    for entry in os.scandir(_folder()):
        if entry.stat().st_mtime < limit:
            Path(entry.path).unlink(missing_ok=True)


def return_page(path: str) -> str:
    """Return the page a form at `path` was sent from: the path itself when it can be
    opened, else the nearest page above it (/cases/7/note -> /cases/7)."""
    adapter = current_app.url_map.bind("localhost")
    while path:
        try:
            adapter.match(path, method="GET")
            return path
        except RequestRedirect as redirect:
            return redirect.new_url.split("localhost", 1)[-1]
        except (NotFound, MethodNotAllowed):
            path = path.rstrip("/").rsplit("/", 1)[0]
    return "/"
