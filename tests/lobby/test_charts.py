"""The server-rendered SVG charts, parsed as XML: what a reader (or a screen reader) would get from them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask_babel import force_locale

from campaign.lobby.charts import BarChart

NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture()
def request_context(app):
    with app.test_request_context("/"), force_locale("en"):
        yield


def parse(chart: BarChart) -> ET.Element:
    return ET.fromstring(str(chart.svg()))


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "chart-bar"]


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == cls]


def simple(*rows, **kwargs) -> BarChart:
    chart = BarChart(id="status-chart", title="Topics by status", description="How many topics per status.",
                     label_header="Status", series=["Topics"], **kwargs)
    for label, value in rows:
        chart.add(label, value)
    return chart


def test_an_image_with_a_title_and_description_named_by_aria_labelledby(request_context):
    root = parse(simple(("Signalled", 3)))

    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title.text == "Topics by status" and desc.text == "How many topics per status."
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_bar_widths_are_proportional_to_the_values_and_every_value_is_written_out(request_context):
    root = parse(simple(("Signalled", 4), ("On the agenda", 2), ("Result", 0), ("Input given", 1)))

    widths = [float(b.get("width")) for b in bars(root)]
    assert widths[0] > 0
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    assert widths[2] == 0
    assert widths[3] == pytest.approx(widths[0] / 4, abs=0.1)
    assert texts(root, "chart-label") == ["Signalled", "On the agenda", "Result", "Input given"]
    assert texts(root, "chart-value") == ["4", "2", "0", "1"]
    # The largest bar fills the plot: it ends where the value column begins, inside the picture.
    assert float(bars(root)[0].get("x")) + widths[0] < float(root.get("width"))


def test_labels_and_titles_are_escaped(request_context):
    chart = simple(('<script>alert("x")</script> & co', 2))
    chart.title = "A <b>bold</b> title"
    markup = str(chart.svg())

    assert "<script>" not in markup and "<b>" not in markup
    root = ET.fromstring(markup)  # still well-formed XML
    assert root.find("svg:title", NS).text == "A <b>bold</b> title"
    label = texts(root, "chart-label")[0]
    assert label.startswith('<script>alert("x")')


def test_all_zero_data_draws_empty_bars_with_their_values(request_context):
    root = parse(simple(("Signalled", 0), ("Result", 0)))

    assert [float(b.get("width")) for b in bars(root)] == [0, 0]
    assert texts(root, "chart-value") == ["0", "0"]


def test_no_data_says_so_inside_the_picture(request_context):
    root = parse(simple())

    assert bars(root) == []
    assert texts(root, "chart-empty") == ["No data yet."]
    assert float(root.get("height")) > 0


def test_a_long_label_is_shortened_in_the_picture_and_kept_whole_in_its_tooltip(request_context):
    long = "Een lokale infrastructuur voor cultuuronderwijs buiten school, in elke gemeente van het land"
    root = parse(simple((long, 5), ("Kort", 1)))

    shown = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "chart-label"][0]
    assert shown.find("svg:title", NS).text == long
    visible = "".join(shown.itertext()).replace(long, "", 1)
    assert visible.endswith("…") and len(visible) < len(long)
    # The label column stays within bounds, so the bars keep room.
    assert float(bars(root)[0].get("x")) <= 250


def test_a_grouped_chart_has_a_legend_and_a_pattern_per_series(request_context):
    chart = BarChart(id="coverage-chart", title="Coverage", description="Per province.", label_header="Province",
                     series=["Municipalities", "With a coordinator", "With a debate"])
    chart.add("Utrecht", 26, 13, 0)
    chart.add("Zeeland", 13, 2, 1)
    root = parse(chart)

    legend = ["".join(g.itertext()) for g in root.iter("{http://www.w3.org/2000/svg}g")
              if g.get("class") == "chart-legend"]
    assert legend == ["Municipalities", "With a coordinator", "With a debate"]
    found = bars(root)
    assert [b.get("data-series") for b in found] == ["0", "1", "2"] * 2
    fills = {b.get("data-series"): b.get("fill") for b in found}
    assert len(set(fills.values())) == 3
    patterns = {p.get("id") for p in root.iter("{http://www.w3.org/2000/svg}pattern")}
    assert {f[len("url(#"):-1] for f in fills.values() if f.startswith("url(")} <= patterns
    assert len(patterns) == 2
    # One scale for every series: 13 is half of 26 wherever it is drawn.
    assert float(found[1].get("width")) == pytest.approx(float(found[0].get("width")) / 2, abs=0.1)
    assert float(found[3].get("width")) == pytest.approx(float(found[1].get("width")), abs=0.1)


def test_values_must_match_the_series(request_context):
    with pytest.raises(ValueError):
        simple().add("Utrecht", 1, 2)
