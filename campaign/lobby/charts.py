"""Bar charts as server-rendered SVG: no JavaScript, no external assets, readable without colour.

A ``BarChart`` holds the numbers once; the page draws them as an SVG (``chart.svg()``) and as a table
(``templates/lobby/_chart.html``), so the chart and its table always say the same. The SVG is an image to
assistive technology (``role="img"`` with a ``<title>`` and ``<desc>`` named by ``aria-labelledby``); its labels
and values are drawn as text, and each series of a grouped chart has its own pattern, named in a legend, so no
number is told by colour alone. Every label is escaped; a label too long for the label column is shortened with
"…" (the full label stays in a ``<title>`` on it and in the table). All-zero and empty data draw an empty axis
and "No data yet." instead of dividing by zero.

Bars are horizontal: one row per label (a status, a province), in a grouped chart one bar per series in each row.
Their length is ``value / largest value`` of the plot width, so bars compare across rows and series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 720
FONT_SIZE = 13
CHAR_WIDTH = 7.2  # average advance of a 13px system-font character: enough to size the label column
BAR_HEIGHT = 18  # one series; a grouped chart's bars are thinner, so that a row of four stays compact
GROUPED_BAR_HEIGHT = 14
BAR_GAP = 2
ROW_GAP = 12
LABEL_MIN, LABEL_MAX = 80, 250
VALUE_SPACE = 64
LEGEND_LINE = 22
SWATCH = 14
# Per series: the fill of its bars and legend swatch (a solid fill, or a pattern drawn in <defs>). Colours are
# the house colours; the patterns tell the series apart on grey paper and for colour-blind readers.
SERIES_STYLES = (
    ("solid", "#5b2a86"),
    ("hatch", "#1e6b3a"),
    ("dots", "#a12a2a"),
    ("cross", "#3f1b60"),
)


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[float, ...]


@dataclass
class BarChart:
    """``series``: the names of the bars in each row (one name: a plain bar chart, no legend); ``rows``: a
    label and one value per series; ``label_header``: the table's first column heading; ``format_value``: how
    a value reads (the reader's locale by default)."""

    id: str
    title: str
    description: str
    label_header: str
    series: Sequence[str]
    rows: list[Row] = field(default_factory=list)
    format_value: Callable[[float], str] | None = None

    def add(self, label: str, *values: float) -> None:
        if len(values) != len(self.series):
            raise ValueError(f"{label!r}: {len(values)} values for {len(self.series)} series")
        self.rows.append(Row(str(label), tuple(values)))

    def text(self, value: float) -> str:
        if self.format_value is not None:
            return self.format_value(value)
        return format_decimal(value, format="#,##0.##")

    @property
    def largest(self) -> float:
        return max((v for row in self.rows for v in row.values), default=0)

    @property
    def empty(self) -> bool:
        return not self.rows

    def svg(self) -> Markup:
        return render_svg(self)


def _shorten(label: str, width: float) -> str:
    fits = max(int(width / CHAR_WIDTH), 4)
    return label if len(label) <= fits else label[:fits - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _fill(chart: BarChart, index: int) -> str:
    kind, colour = SERIES_STYLES[index % len(SERIES_STYLES)]
    return colour if kind == "solid" else f"url(#{chart.id}-pattern-{index})"


def _patterns(chart: BarChart) -> list[str]:
    parts = []
    for index in range(len(chart.series)):
        kind, colour = SERIES_STYLES[index % len(SERIES_STYLES)]
        if kind == "solid":
            continue
        shapes = {
            "hatch": f'<rect width="6" height="6" fill="#ffffff"/><path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" '
                     f'stroke="{colour}" stroke-width="2"/>',
            "dots": f'<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="1.6" fill="{colour}"/>',
            "cross": f'<rect width="6" height="6" fill="#ffffff"/><path d="M0 3H6M3 0V6" stroke="{colour}" '
                     f'stroke-width="1.5"/>',
        }[kind]
        parts.append(f'<pattern id="{escape(chart.id)}-pattern-{index}" width="6" height="6" '
                     f'patternUnits="userSpaceOnUse">{shapes}</pattern>')
    return parts


def render_svg(chart: BarChart) -> Markup:
    """The chart as one ``<svg>`` element (see the module's docstring)."""
    cid = escape(chart.id)
    series = len(chart.series)
    legend = series > 1
    longest = max((len(row.label) for row in chart.rows), default=0)
    label_width = min(max(longest * CHAR_WIDTH + 12, LABEL_MIN), LABEL_MAX)
    plot_x = label_width
    plot_width = WIDTH - label_width - VALUE_SPACE
    top = (series * LEGEND_LINE + 8) if legend else 4
    bar_height = GROUPED_BAR_HEIGHT if legend else BAR_HEIGHT
    row_height = series * bar_height + (series - 1) * BAR_GAP + ROW_GAP
    body_height = max(len(chart.rows), 1) * row_height
    height = top + body_height + 4
    largest = chart.largest

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
           f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {WIDTH} {_number(height)}" '
           f'width="{WIDTH}" height="{_number(height)}" font-size="{FONT_SIZE}">',
           f'<title id="{cid}-title">{escape(chart.title)}</title>',
           f'<desc id="{cid}-desc">{escape(chart.description)}</desc>']
    patterns = _patterns(chart)
    if patterns:
        out.append("<defs>" + "".join(patterns) + "</defs>")
    if legend:
        for index, name in enumerate(chart.series):
            y = 4 + index * LEGEND_LINE
            out.append(f'<g class="chart-legend"><rect x="{_number(plot_x)}" y="{y}" width="{SWATCH}" '
                       f'height="{SWATCH}" fill="{_fill(chart, index)}" stroke="#1d1d27" stroke-width="1"/>'
                       f'<text x="{_number(plot_x + SWATCH + 6)}" y="{y + SWATCH - 2}">{escape(name)}</text></g>')
    # The axis: where every bar starts.
    out.append(f'<line class="chart-axis" x1="{_number(plot_x)}" y1="{top - 2}" x2="{_number(plot_x)}" '
               f'y2="{_number(top + body_height - ROW_GAP + 2)}" stroke="#4a4a5a" stroke-width="1"/>')
    if chart.empty:
        out.append(f'<text class="chart-empty" x="{_number(plot_x + 8)}" y="{top + bar_height - 4}">'
                   f'{escape(_("No data yet."))}</text>')
    for position, row in enumerate(chart.rows):
        y0 = top + position * row_height
        middle = y0 + (row_height - ROW_GAP) / 2
        shown = _shorten(row.label, label_width - 12)
        full = f"<title>{escape(row.label)}</title>" if shown != row.label else ""
        out.append(f'<g class="chart-row"><text class="chart-label" x="{_number(plot_x - 8)}" '
                   f'y="{_number(middle + FONT_SIZE / 3)}" text-anchor="end">{full}{escape(shown)}</text>')
        for index, value in enumerate(row.values):
            y = y0 + index * (bar_height + BAR_GAP)
            width = plot_width * value / largest if largest > 0 and value > 0 else 0
            name = escape(chart.series[index])
            # A pattern's white gaps need an outline to show where its bar ends.
            outline = ' stroke="#1d1d27" stroke-width="0.5"' if width and legend else ""
            out.append(f'<rect class="chart-bar" data-series="{index}" x="{_number(plot_x)}" y="{_number(y)}" '
                       f'width="{_number(width)}" height="{bar_height}" fill="{_fill(chart, index)}"{outline}>'
                       f'<title>{name}: {escape(chart.text(value))}</title></rect>')
            out.append(f'<text class="chart-value" x="{_number(plot_x + width + 6)}" '
                       f'y="{_number(y + bar_height / 2 + FONT_SIZE / 3)}">{escape(chart.text(value))}</text>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))
