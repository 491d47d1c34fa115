"""Edition files: every kind of error names where it is; imports are all-or-nothing; export round-trips."""

import json

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from campaign.core.errors import ValidationFailed
from campaign.cultuurwijzer.editions import edition_to_dict, import_edition_file, parse_edition, store_edition
from campaign.cultuurwijzer.models import Edition, Statement
from tests.conftest import count_rows
from tests.factories import edition_document


def problems_of(doc, source="utrecht.json") -> list[str]:
    raw = doc if isinstance(doc, (str, bytes)) else json.dumps(doc)
    with pytest.raises(ValidationFailed) as info:
        parse_edition(raw, source)
    return [str(p) for p in info.value.problems]


def test_the_fixture_is_valid():
    data = parse_edition(json.dumps(edition_document()), "mini.json")
    assert [s.id for s in data.statements] == ["muziekles", "cultuurpas", "oefenruimte", "bezuiniging"]
    assert data.parties[2].positions["cultuurpas"] == (None, "")


def test_syntax_error_names_file_and_line():
    raw = '{\n  "format": "cultuurwijzer-edition/1",\n  "id": "x",,\n}'
    [problem] = problems_of(raw)
    assert problem.startswith("utrecht.json: line 3, column")
    assert "not valid JSON" in problem


def test_unknown_statement_id_in_positions():
    doc = edition_document()
    doc["parties"][0]["positions"]["muziekles-typo"] = {"position": "agree", "explanation": ""}
    assert problems_of(doc) == [
        "utrecht.json: parties[0] (alfa).positions.muziekles-typo: unknown statement id 'muziekles-typo'"]


def test_duplicate_statement_and_party_ids():
    doc = edition_document()
    doc["statements"][1]["id"] = "muziekles"
    doc["parties"][1]["id"] = "alfa"
    problems = problems_of(doc)
    assert "utrecht.json: statements[1] (muziekles) [id]: duplicate statement id 'muziekles'" in problems
    assert "utrecht.json: parties[1] (alfa) [id]: duplicate party id 'alfa'" in problems


def test_invalid_position_value():
    doc = edition_document()
    doc["parties"][1]["positions"]["cultuurpas"]["position"] = "maybe"
    assert problems_of(doc) == ["utrecht.json: parties[1] (beta).positions.cultuurpas [position]: "
                                "must be agree, neutral, disagree or null, got 'maybe'"]


def test_empty_text_is_reported_with_its_field():
    doc = edition_document()
    doc["statements"][2]["text"] = "   "
    doc["parties"][0]["name"] = ""
    problems = problems_of(doc)
    assert "utrecht.json: statements[2] (oefenruimte) [text]: must not be empty" in problems
    assert "utrecht.json: parties[0] (alfa) [name]: must not be empty" in problems


def test_party_without_positions_is_reported():
    doc = edition_document()
    doc["parties"][2]["positions"] = {k: {"position": None, "explanation": ""} for k in doc["parties"][2]["positions"]}
    assert problems_of(doc) == ["utrecht.json: parties[2] (gamma) [positions]: party 'gamma' has no positions"]


def test_structure_errors():
    assert problems_of([1, 2]) == ["utrecht.json: must be a JSON object"]
    doc = edition_document(format="something-else", id="Not A Slug", statements=[])
    doc["municipality"]["code"] = "0344"
    doc["election"]["date"] = "18-03-2026"
    problems = problems_of(doc)
    assert "utrecht.json [format]: must be 'cultuurwijzer-edition/1'" in problems
    assert any(p.startswith("utrecht.json [id]: must be lowercase letters") for p in problems)
    assert "utrecht.json [statements]: must be a non-empty list" in problems
    assert "utrecht.json: municipality [code]: must be a CBS code such as GM0344, got '0344'" in problems
    assert "utrecht.json: election [date]: must be a date as YYYY-MM-DD, got '18-03-2026'" in problems


def test_text_no_database_stores_and_absurd_nesting_are_problems():
    doc = edition_document()
    doc["statements"][0]["title"] = "Muziek\u0000les"
    doc["parties"][1]["name"] = "Beta \ud800"
    problems = problems_of(doc)
    assert "utrecht.json: statements[0] (muziekles) [title]: contains a character that cannot be stored" in problems
    assert "utrecht.json: parties[1] (beta) [name]: contains a character that cannot be stored" in problems
    assert problems_of("[" * 100_000 + "]" * 100_000) == ["utrecht.json: is nested too deeply to read"]


def test_list_number_errors():
    doc = edition_document()
    doc["parties"][1]["list_number"] = 1
    doc["parties"][2]["list_number"] = "3"
    problems = problems_of(doc)
    assert "utrecht.json: parties[1] (beta) [list_number]: list number 1 is used twice" in problems
    assert "utrecht.json: parties[2] (gamma) [list_number]: must be a whole number of 1 or more" in problems
    doc["parties"][2]["list_number"] = 10**20  # more than a database column holds
    assert "utrecht.json: parties[2] (gamma) [list_number]: must be 99 or less" in problems_of(doc)


def test_every_problem_is_reported_at_once():
    doc = edition_document()
    doc["statements"][0]["title"] = ""
    doc["parties"][0]["positions"]["cultuurpas"]["position"] = "yes"
    doc["parties"][1]["positions"]["nope"] = {"position": "agree"}
    assert len(problems_of(doc)) == 3


def test_import_writes_nothing_when_the_file_is_invalid(db_session, tmp_path):
    doc = edition_document()
    doc["parties"][1]["positions"]["cultuurpas"]["position"] = "maybe"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ValidationFailed):
        import_edition_file(path)
    for table in ("edition", "statement", "party", "position", "election", "municipality"):
        assert count_rows(db_session, table) == 0, table


def test_a_failing_replacement_leaves_the_old_edition_intact(db_session, editions):
    editions.create()
    doc = edition_document()
    doc["municipality"]["code"] = "GM0014"
    doc["municipality"]["name"] = "Groningen"
    editions.create(doc | {"id": "other-gm0014"})
    # Re-import "other" into Utrecht's slot: clashes with the first edition, so nothing may change.
    clash = edition_document(id="other-gm0014")
    data = parse_edition(json.dumps(clash), "clash.json")
    with pytest.raises(ValidationFailed) as info, force_locale("en"):
        store_edition(data)
    db_session.rollback()
    assert "already covers Utrecht" in str(info.value)
    other = db_session.get(Edition, "other-gm0014")
    assert other.municipality.code == "GM0014" and other.revision == 1


def test_import_twice_changes_nothing_and_a_change_bumps_the_revision(db_session, editions, tmp_path):
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(edition_document()))
    first, changed = import_edition_file(path)
    assert changed and first.revision == 1
    again, changed = import_edition_file(path)
    assert not changed and again.revision == 1
    doc = edition_document()
    doc["statements"][0]["title"] = "Muziekles voor elk kind"
    path.write_text(json.dumps(doc))
    updated, changed = import_edition_file(path)
    assert changed and updated.revision == 2
    titles = db_session.scalars(select(Statement.title).where(Statement.edition_id == updated.id)).all()
    assert "Muziekles voor elk kind" in titles and len(titles) == 4


def test_export_round_trip_loses_nothing(db_session, editions):
    doc = edition_document()
    edition = editions.create(doc)
    exported = edition_to_dict(edition)
    assert exported == doc
    # And the export imports again as "unchanged".
    data = parse_edition(json.dumps(exported), "export.json")
    assert store_edition(data)[1] is False
