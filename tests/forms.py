"""Forms as the rendered page holds them: parse, fill what a person fills, submit.

A test never hand-builds a POST body for a page that has a form. It reads the form from the
HTML (its action, its fields with their rendered values, its options), changes only what a person
would change, and sends what a browser would send. A field the page does not render, an option
the page does not offer or a button that is not there fails the test, like it would fail a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.datastructures import MultiDict

_SUBMIT_TYPES = {"submit", "image"}
_SKIPPED_TYPES = {"reset", "button", "file"}


@dataclass
class Control:
    """One control of a form: an input, a select or a textarea (or a submit button)."""

    tag: str
    name: str
    type: str = "text"
    value: str = ""
    checked: bool = False
    disabled: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    text: str = ""  # a button's or textarea's text
    multiple: bool = False  # a file input that takes several files

    @property
    def choices(self) -> list[str]:
        return [value for value, _ in self.options]


@dataclass
class Form:
    """A parsed form: where it goes, how, and its controls in page order."""

    action: str
    method: str
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {c.name for c in self.controls if c.name}

    def buttons(self) -> list[Control]:
        return [c for c in self.controls if c.type in _SUBMIT_TYPES]

    def defaults(self) -> list[tuple[str, str]]:
        """Return the (name, value) pairs a browser sends when nothing is changed."""
        pairs: list[tuple[str, str]] = []
        for c in self.controls:
            if not c.name or c.disabled or c.type in _SUBMIT_TYPES | _SKIPPED_TYPES:
                continue
            if c.tag == "select":
                selected = [v for v, s in c.options if s]
                if not selected and c.options and "multiple" != c.type:
                    selected = [c.options[0][0]]
                pairs.extend((c.name, v) for v in selected)
            elif c.type in ("checkbox", "radio"):
                if c.checked:
                    pairs.append((c.name, c.value or "on"))
            elif c.tag == "textarea":
                pairs.append((c.name, c.text))
            else:
                pairs.append((c.name, c.value))
        return pairs

    def fill(self, data: dict[str, object], button: str | None = None) -> list[tuple[str, str]]:
        """Return what a browser sends after a person changes `data` and clicks `button`.

        Values: a string sets a text field, picks a select option or a radio; True/False ticks or
        clears a checkbox; a list picks several checkboxes (or options) of one name; a
        (stream, filename) pair picks a file.
        """
        pairs = self.defaults()
        for name, value in data.items():
            controls = [c for c in self.controls if c.name == name and not c.disabled
                        and c.type not in _SUBMIT_TYPES]
            assert controls, (f"the form to {self.action} has no field {name!r} "
                              f"(it has: {sorted(self.names)})")
            # Without it a browser sends the file's name only, never the file.
            assert controls[0].type != "file" or \
                self.attrs.get("enctype") == "multipart/form-data", \
                f"the form to {self.action} has a file field but no multipart enctype"
            pairs = [(n, v) for n, v in pairs if n != name]
            pairs.extend(_values_for(controls, name, value, self.action))
        if button is not None or self.buttons():
            pairs.extend(self._button_pair(button))
        return pairs

    def _button_pair(self, button: str | None) -> list[tuple[str, str]]:
        buttons = self.buttons()
        if button is None:
            chosen = buttons[0] if buttons else None
        else:
            matches = [b for b in buttons if button in (b.text.strip(), b.value, b.name)]
            assert matches, (f"the form to {self.action} has no button {button!r} "
                             f"(it has: {[b.text.strip() or b.value for b in buttons]})")
            chosen = matches[0]
        if chosen is None or not chosen.name:
            return []
        return [(chosen.name, chosen.value)]


def _values_for(controls: list[Control], name: str, value: object,
                action: str) -> list[tuple[str, str]]:
    kind = controls[0]
    if kind.type == "file":  # (stream, filename), or a list of them: picked in the file dialog
        picked = value if isinstance(value, list) else [value]
        assert len(picked) <= 1 or kind.multiple, f"{name!r} takes one file ({action})"
        return [(name, one) for one in picked]
    values = value if isinstance(value, list | tuple) else [value]
    if kind.type == "checkbox":
        if isinstance(value, bool):
            return [(name, controls[0].value or "on")] if value else []
        offered = [c.value or "on" for c in controls]
        for v in values:
            assert str(v) in offered, f"{name!r} offers {offered}, not {v!r} ({action})"
        return [(name, str(v)) for v in values]
    if kind.type == "radio":
        offered = [c.value for c in controls]
        assert str(value) in offered, f"{name!r} offers {offered}, not {value!r} ({action})"
        return [(name, str(value))]
    if kind.tag == "select":
        offered = kind.choices
        for v in values:
            assert str(v) in offered, f"{name!r} offers {offered}, not {v!r} ({action})"
        return [(name, str(v)) for v in values]
    assert not isinstance(value, bool), f"{name!r} is a {kind.type} field, not a checkbox"
    return [(name, "" if value is None else str(value)) for value in values]


class _FormParser(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: list | None = None
        self._text_of: Control | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.base_url, a.get("action") or self.base_url)
            self._form = Form(action=action, method=(a.get("method") or "get").lower(),
                              attrs=a)
            self.forms.append(self._form)
            return
        form = self._owner(a)
        if form is None:
            return
        disabled = "disabled" in a
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            form.controls.append(Control("input", a.get("name", ""), kind, value,
                                         checked="checked" in a, disabled=disabled,
                                         multiple="multiple" in a))
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            control = Control("button", a.get("name", ""), kind, a.get("value", ""),
                              disabled=disabled)
            form.controls.append(control)
            self._text_of = control
        elif tag == "select":
            kind = "multiple" if "multiple" in a else "select"
            self._select = Control("select", a.get("name", ""), kind, disabled=disabled)
            form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea":
            control = Control("textarea", a.get("name", ""), "textarea", disabled=disabled)
            form.controls.append(control)
            self._text_of = control

    def _owner(self, attrs: dict[str, str]) -> Form | None:
        """Return the form a control belongs to (its form= attribute, else the open form)."""
        if "form" in attrs:
            return next((f for f in self.forms if f.attrs.get("id") == attrs["form"]), None)
        return self._form

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        elif self._text_of is not None:
            self._text_of.text += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select":
            if self._option is not None:
                self._close_option()
            self._select = None
        elif tag in ("textarea", "button"):
            if self._text_of is not None and tag == "textarea":
                self._text_of.text = self._text_of.text.removeprefix("\n")
            self._text_of = None
        elif tag == "form":
            self._form = None

    def _close_option(self):
        value, selected, text = self._option
        self._select.options.append((text.strip() if value is None else value, selected))
        self._option = None


def parse_forms(html: str, base_url: str = "http://meldpunt.test/") -> list[Form]:
    """Return every form on a page, with its action made absolute against base_url."""
    parser = _FormParser(base_url)
    parser.feed(html)
    parser.close()
    return parser.forms


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def find_form(html: str, *, page_url: str, action: str | None = None,
              fields: set[str] | frozenset[str] = frozenset(),
              button: str | None = None) -> Form:
    """Return the one form on the page that goes to `action` and holds `fields` and `button`."""
    base = urljoin("http://meldpunt.test/", page_url)
    candidates = []
    for form in parse_forms(html, base):
        if action is not None and _path(form.action) != action:
            continue
        if not set(fields) <= form.names:
            continue
        if button is not None and not any(button in (b.text.strip(), b.value, b.name)
                                          for b in form.buttons()):
            continue
        candidates.append(form)
    described = f"action={action!r} fields={sorted(fields)} button={button!r}"
    assert candidates, f"no form on {page_url} with {described}"
    assert len(candidates) == 1 or all(_path(c.action) == _path(candidates[0].action)
                                       and c.names == candidates[0].names
                                       for c in candidates), \
        f"{len(candidates)} forms on {page_url} match {described}; say which"
    return candidates[0]


def filled(client, page_url: str, data: dict | None = None, *, action: str | None = None,
           button: str | None = None, page=None,
           tampered: dict[str, str] | None = None) -> tuple[str, str, MultiDict]:
    """Return (method, target, body) of the form as a person fills it: for sending it twice."""
    data = data or {}
    if page is None:
        page = client.get(page_url)
        assert page.status_code == 200, f"GET {page_url}: {page.status_code}"
    form = find_form(page.get_data(as_text=True), page_url=page_url, action=action,
                     fields=set(data), button=button)
    pairs = form.fill(data, button)
    if tampered:
        pairs = [(n, v) for n, v in pairs if n not in tampered] + list(tampered.items())
    return form.method, _path(form.action), MultiDict(pairs)


def submit(client, page_url: str, data: dict | None = None, *, action: str | None = None,
           button: str | None = None, follow_redirects: bool = False, page=None,
           tampered: dict[str, str] | None = None):
    """Open page_url, find the form (by action, by the fields filled, by button), fill, send.

    `tampered` sets values the page does not offer (an unknown option, a field it does not
    render): what a crafted request sends, said out loud in the test that needs it.
    """
    method, target, body = filled(client, page_url, data, action=action, button=button,
                                  page=page, tampered=tampered)
    if method == "get":
        return client.get(target, query_string=body, follow_redirects=follow_redirects)
    return client.post(target, data=body, follow_redirects=follow_redirects)
