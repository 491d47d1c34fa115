"""Local figures: kinds the team configures, a CSV import that checks every line and writes all or nothing, the
example file, the command line, and the dossier's table per kind."""

from __future__ import annotations

import csv
import io

import pytest
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from tests.conftest import count_rows
from tests.helpers import csrf_token, post_form

FIGURES = "/beheer/lobby/cijfers"
IMPORT = "/beheer/lobby/cijfers/importeren"
PUPILS = "muziekschool-leerlingen"
BUDGET = "cultuureducatie-budget-per-inwoner"
HEADER = "municipality_code,figure,year,value,source\n"


@pytest.fixture()
def editor(client, users, places, lobby_defaults):
    user = users.create("editor")
    users.login(client, user)
    return user


def upload(client, text: str | bytes, filename: str = "cijfers.csv"):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(IMPORT, data={"csrf_token": csrf_token(client, FIGURES), "file": (io.BytesIO(raw), filename)},
                       content_type="multipart/form-data")


def stored(db_session) -> dict[tuple[str, str, int], tuple[float, str]]:
    from campaign.lobby.models import LocalFigure

    return {(f.municipality.code, f.kind.key, f.year): (f.value, f.source)
            for f in db_session.scalars(select(LocalFigure).execution_options(populate_existing=True))}


def test_an_import_adds_then_updates_and_says_how_many(english, editor, db_session):
    response = upload(english, HEADER + f"GM0344,{PUPILS},2025,1250,Jaarverslag 2025\n"
                                        f"GM0344,{BUDGET},2025,\"12,50\",Begroting\n"
                                        f"GM0355,{PUPILS},2024,310,\n")
    assert response.status_code == 302
    page = english.get(response.location).get_data(as_text=True)
    assert "cijfers.csv imported: 3 added, 0 updated, 0 unchanged." in page
    assert stored(db_session) == {("GM0344", PUPILS, 2025): (1250.0, "Jaarverslag 2025"),
                                  ("GM0344", BUDGET, 2025): (12.5, "Begroting"),
                                  ("GM0355", PUPILS, 2024): (310.0, "")}

    response = upload(english, HEADER + f"GM0344,{PUPILS},2025,1300,Jaarverslag 2025 (herzien)\n"
                                        f"GM0355,{PUPILS},2024,310,\n"
                                        f"GM0014,{PUPILS},2025,90,\n")
    page = english.get(response.location).get_data(as_text=True)
    assert "1 added, 1 updated, 1 unchanged." in page
    assert stored(db_session)[("GM0344", PUPILS, 2025)] == (1300.0, "Jaarverslag 2025 (herzien)")
    assert len(stored(db_session)) == 4

    from campaign.core.models import AuditEntry

    entries = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "lobby.figures.import")
                                 .order_by(AuditEntry.id)).all()
    assert [e.after for e in entries] == [{"added": 3, "updated": 0, "unchanged": 0},
                                          {"added": 1, "updated": 1, "unchanged": 1}]
    assert "Jaarverslag" not in str([(e.summary, e.before, e.after) for e in entries])  # counts only


def test_a_dutch_excel_file_semicolons_bom_dutch_headers_and_bare_codes(english, editor, db_session):
    text = "\ufeffGemeentecode;Cijfer;Jaar;Waarde;Bron\n344;MUZIEKSCHOOL-LEERLINGEN;2025;1 250;CBS\n" \
           f"gm0355;{BUDGET};2024;7,25;\n"
    response = upload(english, text.encode("utf-8"))
    assert response.status_code == 302
    assert stored(db_session) == {("GM0344", PUPILS, 2025): (1250.0, "CBS"), ("GM0355", BUDGET, 2024): (7.25, "")}


def test_every_problem_is_reported_by_line_and_column_and_nothing_is_written(english, editor, db_session):
    text = (HEADER
            + f"GM0344,{PUPILS},2025,100,ok\n"  # line 2: fine, yet not written
            + f"GM9999,{PUPILS},2025,100,\n"  # 3
            + "GM0344,leerlingen,2025,100,\n"  # 4
            + f"GM0344,{PUPILS},1850,100,\n"  # 5
            + f"GM0344,{PUPILS},2024,abc,\n"  # 6
            + f"GM0344,{PUPILS},2023,-5,\n"  # 7
            + f"GM0344,{PUPILS},2025,200,\n"  # 8: the same as line 2
            + f"GM0344,{PUPILS},2022,\"1.234,5\",\n"  # 9: thousands separator
            + "\n"
            + "GM0344,too,few\n")  # 11
    response = upload(english, text)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was imported." in html
    for expected in [
        "cijfers.csv: line 3, municipality_code: there is no municipality GM9999",
        "cijfers.csv: line 4, figure: &#39;leerlingen&#39; is not a known kind of figure; known: "
        f"{PUPILS}, {BUDGET}",
        "cijfers.csv: line 5, year: &#39;1850&#39; is not a year from 2000 to 2100",
        "cijfers.csv: line 6, value: &#39;abc&#39; is not a number",
        "cijfers.csv: line 7, value: &#39;-5&#39; is negative",
        "cijfers.csv: line 8, year: GM0344, muziekschool-leerlingen, 2025 is on line 2 already",
        "cijfers.csv: line 9, value: &#39;1.234,5&#39; is not a number",
        "cijfers.csv: line 11: has 3 values, the header has 5",
    ]:
        assert expected in html, expected
    assert "line 2" not in html.replace("on line 2 already", "")
    assert count_rows(db_session, "local_figure") == 0
    from campaign.core.models import AuditEntry

    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "lobby.figures.import")) is None


def test_one_bad_line_after_good_ones_writes_nothing_also_for_existing_figures(english, editor, db_session):
    upload(english, HEADER + f"GM0344,{PUPILS},2025,100,\n")
    response = upload(english, HEADER + f"GM0344,{PUPILS},2025,999,\nGM0355,{PUPILS},2025,50,\n"
                                        f"GM0014,{PUPILS},2025,x,\n")
    assert response.status_code == 422
    assert stored(db_session) == {("GM0344", PUPILS, 2025): (100.0, "")}


@pytest.mark.parametrize("content, message", [
    ("municipality_code,year,value\nGM0344,2025,1\n", "column &#39;figure&#39; is missing"),
    (HEADER, "contains no figures"),
    (b"municipality_code,figure,year,value\nGM0344,x,2025,\xff\n", "is not UTF-8 text"),
    ("", "column &#39;municipality_code&#39; is missing"),
])
def test_files_that_are_not_figures_are_refused(english, editor, db_session, content, message):
    response = upload(english, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_too_many_lines_or_bytes_are_refused(app, places, lobby_defaults, db_session):
    from campaign.core.errors import ValidationFailed
    from campaign.lobby import figures

    lines = HEADER + "".join(f"GM0344,{PUPILS},{2000 + n % 100},{n},\n" for n in range(figures.MAX_LINES + 1))
    with force_locale("en"), pytest.raises(ValidationFailed) as caught:
        figures.parse_figures_csv(lines.encode(), "big.csv")
    assert "more than 10000 lines" in str(caught.value)
    with force_locale("en"), pytest.raises(ValidationFailed) as caught:
        figures.parse_figures_csv(b"x" * (figures.MAX_BYTES + 1), "huge.csv")
    assert "larger than 2 MB" in str(caught.value)


def test_an_upload_without_a_file_says_so(english, editor, db_session):
    response = post_form(english, IMPORT, {}, token_from=FIGURES)
    assert response.status_code == 422
    assert "Choose a file." in response.get_data(as_text=True)


@pytest.mark.parametrize("text, value", [("12,50", 12.5), ("1234.5", 1234.5), (" 7 ", 7.0), ("0", 0.0),
                                         ("1 234,5", 1234.5), ("12,", None), (",5", None), ("1e3", None),
                                         ("1.234,5", None), ("1,2,3", None), ("", None), ("NaN", None)])
def test_the_number_rule(text, value):
    from campaign.lobby.figures import parse_number

    assert parse_number(text) == value


def test_the_example_file_imports_as_it_is(english, editor, db_session):
    response = english.get("/beheer/lobby/cijfers/voorbeeld.csv")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["municipality_code", "figure", "year", "value", "source"]
    assert {row[1] for row in rows[1:]} == {PUPILS, BUDGET}
    assert upload(english, response.get_data(), "voorbeeld.csv").status_code == 302
    assert len(stored(db_session)) == 2


def test_the_team_adds_and_changes_a_kind(english, editor, db_session):
    from campaign.core.models import AuditEntry
    from campaign.lobby.models import FigureKind

    response = post_form(english, "/beheer/lobby/cijfers/soorten/nieuw", {
        "key": "podium-bezoekers", "name": "Bezoekers poppodium", "name_en": "Pop venue visitors",
        "unit": "bezoekers", "decimals": "0", "description": "", "position": "5"},
        token_from="/beheer/lobby/cijfers/soorten/nieuw")
    assert response.status_code == 302
    kind = db_session.scalar(select(FigureKind).where(FigureKind.key == "podium-bezoekers"))
    assert (kind.name, kind.name_en, kind.unit, kind.position) == ("Bezoekers poppodium", "Pop venue visitors",
                                                                   "bezoekers", 5)
    page = english.get(FIGURES).get_data(as_text=True)
    assert "Pop venue visitors" in page and "podium-bezoekers" in page

    edit = f"/beheer/lobby/cijfers/soorten/{kind.id}"
    response = post_form(english, edit, {"key": "podium-bezoekers", "name": "Bezoekers poppodia", "name_en": "",
                                         "unit": "bezoekers", "decimals": "1", "description": "Per jaar",
                                         "position": "5"}, token_from=edit)
    assert response.status_code == 302
    db_session.refresh(kind)
    assert (kind.name, kind.decimals, kind.description) == ("Bezoekers poppodia", 1, "Per jaar")
    actions = [(e.action, e.before, e.after) for e in db_session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "figure_kind", AuditEntry.object_id == str(kind.id))
        .order_by(AuditEntry.id))]
    assert actions[0][0] == "lobby.figure_kind.create" and actions[0][2]["key"] == "podium-bezoekers"
    assert actions[1] == ("lobby.figure_kind.update",
                          {"name": "Bezoekers poppodium", "name_en": "Pop venue visitors", "decimals": 0,
                           "description": ""},
                          {"name": "Bezoekers poppodia", "name_en": "", "decimals": 1, "description": "Per jaar"})
    # The new kind is known to the import at once.
    assert upload(english, HEADER + "GM0344,podium-bezoekers,2025,\"1234,5\",\n").status_code == 302
    assert "Kind of local figure changed" in english.get(edit).get_data(as_text=True)  # its history


@pytest.mark.parametrize("changes, message", [
    ({"key": "Muziek School"}, "Use lower-case letters, digits and hyphens only"),
    ({"key": PUPILS}, "Another kind of figure has this key already."),
    ({"name": ""}, "Enter a name."),
    ({"decimals": "7"}, "Choose a number from 0 to 4."),
    ({"decimals": "twee"}, "Not a valid integer value."),
])
def test_a_kind_with_bad_values_comes_back_beside_the_field(english, editor, db_session, changes, message):
    from campaign.lobby.models import FigureKind

    before = count_rows(db_session, "figure_kind")
    url = "/beheer/lobby/cijfers/soorten/nieuw"
    data = {"key": "nieuw-cijfer", "name": "Nieuw", "decimals": "0", "position": "0"} | changes
    response = post_form(english, url, data, token_from=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html
    assert count_rows(db_session, "figure_kind") == before
    assert db_session.scalar(select(FigureKind).where(FigureKind.key == "nieuw-cijfer")) is None


def test_an_unknown_kind_is_404(english, editor, db_session):
    assert english.get("/beheer/lobby/cijfers/soorten/999999").status_code == 404


def test_the_command_line_imports_or_names_every_bad_line(app, places, lobby_defaults, db_session, tmp_path):
    good = tmp_path / "cijfers.csv"
    good.write_text(HEADER + f"GM0344,{PUPILS},2025,1250,\n", encoding="utf-8")
    bad = tmp_path / "fout.csv"
    bad.write_text(HEADER + f"GM0344,{PUPILS},2024,10,\nGM0344,nope,2025,1,\nGM0344,{PUPILS},2025,x,\n",
                   encoding="utf-8")
    from campaign.lobby.cli import import_figures_command

    runner = app.test_cli_runner()
    with force_locale("en"):  # outside a request the default language, Dutch, applies
        result = runner.invoke(import_figures_command, [str(bad)])
    assert result.exit_code == 1
    assert "fout.csv: line 3, figure:" in result.output and "fout.csv: line 4, value:" in result.output
    assert "line 2" not in result.output
    assert count_rows(db_session, "local_figure") == 0
    result = runner.invoke(import_figures_command, [str(good)])
    assert result.exit_code == 0, result.output
    assert stored(db_session) == {("GM0344", PUPILS, 2025): (1250.0, "")}


def test_the_dossier_table_per_kind(app, places, lobby_defaults, db_session):
    from campaign.core.audit import Actor
    from campaign.lobby import figures
    from campaign.lobby.models import FigureKind

    lines = figures.parse_figures_csv((HEADER + f"GM0344,{BUDGET},2024,11.5,Begroting 2024\n"
                                                f"GM0344,{BUDGET},2025,\"12,5\",Begroting 2025\n"
                                                f"GM0344,{PUPILS},2025,1250,\n"
                                                f"GM0355,{PUPILS},2025,99,\n").encode())
    figures.import_figures(Actor.system("tests"), lines)
    empty = FigureKind(key="leeg", name="Leeg", position=9)
    db_session.add(empty)
    db_session.commit()
    found = figures.municipality_figures(places["GM0344"])
    assert [(kind.key, [f.year for f in rows]) for kind, rows in found] == [(PUPILS, [2025]), (BUDGET, [2025, 2024])]
    assert figures.municipality_figures(places["GM0014"]) == []

    with app.test_request_context("/"), force_locale("nl"):
        html = render_template("lobby/_figures.html", figures=found)
    assert "Leerlingen lokale muziekschool" in html and "Gemeentelijk budget cultuureducatie per inwoner" in html
    assert "1.250" in html and "€ 12,50" in html and "€ 11,50" in html and "Begroting 2025" in html
    assert html.index("2025") < html.index("2024")
    with app.test_request_context("/"), force_locale("en"):
        html = render_template("lobby/_figures.html", figures=found)
        assert "Pupils at the local music school" in html and "1,250" in html and "€ 12.50" in html
        assert "No local figures" in render_template("lobby/_figures.html", figures=[])
