"""Tables as CSV and XLSX files for the overview's exports (issue 14.3).

XLSX is written by hand (a zip of four small XML files, cells as inline strings and numbers):
enough for a table, and no dependency for one download.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from tracker.domain.calendar import local


def cell(value) -> str | int:
    """Return a value as a table shows it: local time, ja/nee, a number or text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int):
        return value
    return str(getattr(value, "value", value))


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Return a CSV for Dutch spreadsheets: semicolons, UTF-8 with a byte order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OOXML = "application/vnd.openxmlformats-"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    f'<Default Extension="rels" ContentType="{_OOXML}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    f'ContentType="{_OOXML}officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_OOXML}officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = (f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
         f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')
_WORKBOOK = (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
             '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
                  f'<Relationship Id="rId1" Type="{_REL}/worksheet" '
                  'Target="worksheets/sheet1.xml"/></Relationships>')


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xml_cell(ref: str, value) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence], sheet: str = "Meldingen") -> bytes:
    """Return a one-sheet XLSX workbook of the header and rows."""
    lines = []
    for r, row in enumerate([list(header), *([cell(v) for v in row] for row in rows)], 1):
        cells = "".join(_xml_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row) if v != "")
        lines.append(f'<row r="{r}">{cells}</row>')
    sheet_xml = (f'{_XML}<worksheet xmlns="{_MAIN}">'
                 f'<sheetData>{"".join(lines)}</sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet)))
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()
