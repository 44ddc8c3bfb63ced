"""Reading an uploaded CSV file: the one reader of every import (staff, pupils).

What administration systems and Excel write: UTF-8 with or without a byte-order mark, else
Windows-1252; separator ; (Excel in Dutch), , or a tab, taken from the header line. Empty lines
are skipped; each row keeps its line number in the file, so a report can say "regel 7".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


@dataclass
class CsvFile:
    """The rows of a file with their line numbers, or why it cannot be read."""

    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = ""
    errors: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """Return the text and the encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def read(data: bytes, *, max_bytes: int, max_lines: int) -> CsvFile:
    """Split a file into its header and numbered rows; say why when it cannot be read."""
    result = CsvFile()
    if len(data) > max_bytes:
        result.errors.append(f"Het bestand is te groot (meer dan {max_bytes // 1024} kB).")
        return result
    if b"\x00" in data:
        result.errors.append("Dit is geen CSV-bestand (het bevat binaire gegevens). Sla het "
                             "in Excel op als 'CSV (gescheiden door lijstscheidingsteken)'.")
        return result
    try:
        text, result.encoding = decode(data)
    except UnicodeDecodeError:  # a byte-order mark says UTF-8, what follows is not
        result.errors.append("Dit bestand kunnen we niet lezen: het begint als UTF-8 maar is "
                             "het niet. Sla het op als 'CSV UTF-8' en probeer het opnieuw.")
        return result
    first = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        numbered = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except csv.Error:
        result.errors.append("Dit bestand kunnen we niet als CSV lezen (een aanhalingsteken "
                             "wordt niet gesloten).")
        return result
    if not numbered:
        result.errors.append("Het bestand is leeg.")
        return result
    if len(numbered) > max_lines:
        result.errors.append(f"Te veel regels: ten hoogste {max_lines}.")
        return result
    result.header = numbered[0][1]
    result.rows = numbered[1:]
    return result
