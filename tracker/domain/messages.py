"""A refusal's words as data: the Dutch sentence with placeholders and the values put into it.

The domain and the use cases refuse with a `Message` (a code, the catalogue's Dutch msgid, and
its values); it reads as the Dutch sentence wherever a str is expected (logs, the CLI, tests),
and a view translates it from its parts (tracker/core/messages.translate_message) without
parsing the sentence back.
"""

from __future__ import annotations


class Message(str):
    """A Dutch sentence that keeps its template (%(name)s placeholders) and its values."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Message:
        text = super().__new__(cls, template % values if values else template)
        text.template = template
        text.values = values
        return text

    def __reduce__(self):  # pickles (and copies) keep the parts
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict[str, object]) -> Message:
    return Message(template, **values)
