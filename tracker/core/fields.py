"""What the form macros need to write a simple field as plain HTML (issue 18).

WTForms renders each attribute through Markup.format (string.Formatter in Python): on the
parents' form and the case page that was the largest cost of a request. For the simple
widgets the macro `control` in _macros.html writes the tag itself from what `plain_field`
returns: the same attributes, sorted by name and escaped as WTForms does, so the HTML is the
same byte for byte (tests/test_fields.py holds them side by side). Any other widget, or a
select with groups or option attributes, is left to WTForms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

_INPUTS = (widgets.TextInput, widgets.EmailInput, widgets.TelInput, widgets.HiddenInput,
           widgets.NumberInput, widgets.DateInput, widgets.SearchInput, widgets.URLInput,
           widgets.CheckboxInput, widgets.RadioInput)
KINDS: dict[type, str] = {**dict.fromkeys(_INPUTS, "input"), widgets.TextArea: "textarea",
                          widgets.Select: "select"}


@dataclass(frozen=True, slots=True)
class Plain:
    kind: str  # input | textarea | select
    attrs: list[tuple[str, Any]]  # sorted by name; a value is escaped Markup, or True
    text: Markup | None = None  # a textarea's content
    options: list[tuple[bool, Markup, Markup]] | None = None  # (selected, value, label)


def _value(value: Any) -> Markup:
    # As wtforms.widgets.html_params escapes an attribute value: escape() already turns a
    # plain value's " into &#34;, only markup keeps one to replace (and Markup.replace is slow).
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return escape(value)
    return escape(value).replace(Markup('"'), Markup("&quot;"))


def plain_field(field, extra: dict[str, Any] | None = None) -> Plain | None:
    """Return what the macro needs to write `field` (with the call's attributes `extra`), or
    None when its widget must render it."""
    widget = field.widget
    kind = KINDS.get(type(widget))
    if kind is None:
        return None
    kw = {clean_key(k): v for k, v in (field.render_kw or {}).items()}
    if extra:
        kw.update({clean_key(k): v for k, v in extra.items()})
    kw.setdefault("id", field.id)
    if kind == "input":
        kw.setdefault("type", widget.input_type)
        if type(widget) is widgets.CheckboxInput and getattr(field, "checked", field.data):
            kw.setdefault("checked", True)
        elif type(widget) is widgets.RadioInput and field.checked:
            kw.setdefault("checked", True)
        if "value" not in kw:
            kw["value"] = field._value()
    options = None
    if kind == "select":
        if getattr(widget, "multiple", False) or field.has_groups():
            return None
        options = []
        for choice in field._iter_choices_normalized():
            if choice.render_kw:
                return None
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            options.append((bool(choice.selected), _value(value),
                            escape(choice.label or choice.value)))
    flags = vars(field.flags)  # what dir(flags) finds in the widgets: the flags set
    for name in widget.validation_attrs:
        if name in flags and name not in kw:
            kw[name] = flags[name]
    kw["name"] = field.name
    attrs = [(k, True if v is True else _value(v)) for k, v in sorted(kw.items())
             if v is not False]
    text = escape(field._value()) if kind == "textarea" else None
    return Plain(kind, attrs, text, options)
