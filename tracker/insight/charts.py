"""Bar charts as geometry for server-drawn SVG (templates/insight/_charts.html).

No chart library: a bar is a rectangle, and drawing it on the server keeps the page free of
scripts and inline styles (the CSP stays strict) and identical in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 600
COLUMN_AREA = 170  # the tallest column, in SVG units
ROW = 30  # one horizontal bar with its gap
BAR_AREA = 300  # the longest horizontal bar
LABEL_END = 230  # horizontal bars start after their label


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown ("12", "minder dan 5")
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    id: str
    caption: str
    head: str  # the table's first column heading
    bars: tuple[Bar, ...]
    height: int
    vertical: bool

    @property
    def empty(self) -> bool:
        return not self.bars


def _top(values: Sequence[int | None]) -> int:
    return max([v for v in values if v is not None] + [1])


Cell = tuple[str, int | None, str]  # label, value (None: hidden, no bar), value as shown


def columns(id: str, caption: str, head: str, cells: Sequence[Cell]) -> Chart:
    """Return a chart of vertical bars (one per month)."""
    top, step = _top([v for _, v, _ in cells]), WIDTH / max(len(cells), 1)
    bars = []
    for i, (label, value, text) in enumerate(cells):
        height = round((value or 0) / top * COLUMN_AREA, 1)
        bars.append(Bar(label, text, round(i * step + step * 0.15, 1),
                        round(200 - height, 1), round(step * 0.7, 1), height))
    return Chart(id, caption, head, tuple(bars), 230, True)


def bars(id: str, caption: str, head: str, cells: Sequence[Cell]) -> Chart:
    """Return a chart of horizontal bars in the order given."""
    top = _top([v for _, v, _ in cells])
    out = tuple(Bar(label, text, LABEL_END + 10, i * ROW + 5,
                    round((value or 0) / top * BAR_AREA, 1), 22)
                for i, (label, value, text) in enumerate(cells))
    return Chart(id, caption, head, out, len(cells) * ROW + 10, False)


def plain(rows: Sequence[tuple[str, int]]) -> list[Cell]:
    """Return cells that show every count as it is."""
    return [(label, n, str(n)) for label, n in rows]
