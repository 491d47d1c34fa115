"""Import and export in the browser, and open data: previews, errors by line, all-or-nothing, round trips."""

import csv
import datetime as dt
import io
import json

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from campaign.core.audit import Actor, history
from campaign.core.errors import ValidationFailed
from campaign.core.models import utcnow
from campaign.cultuurwijzer.editions import (
    dump_edition,
    edition_data,
    edition_to_dict,
    parse_edition,
    store_edition,
)
from campaign.cultuurwijzer.models import Edition, Party, PartyLink, Position, Statement
from campaign.cultuurwijzer.transfer import (
    CSV_COLUMNS,
    apply_import,
    export_positions_csv,
    parse_positions_csv,
    prepare_import,
    preview_edition_import,
)
from tests.conftest import count_rows
from tests.cultuurwijzer.transfer_helpers import confirm, upload
from tests.helpers import csrf_token
from tests.factories import edition_document

EDITION = "test2026-gm0344"
ADMIN = f"/beheer/cultuurwijzer/edities/{EDITION}"
HEADER = ",".join(CSV_COLUMNS)
TABLES = ("edition", "statement", "party", "position", "party_link", "audit_entry")


def csv_problems(raw: str, edition, source="positions.csv") -> list[str]:
    with pytest.raises(ValidationFailed) as info, force_locale("en"):
        parse_positions_csv(raw.encode(), edition, source)
    return [str(p) for p in info.value.problems]


def position(session, party: str, statement: str) -> tuple:
    row = session.execute(
        select(Position.value, Position.explanation).join(Party).join(Statement, Position.statement)
        .where(Party.edition_id == EDITION, Party.key == party, Statement.key == statement)).one_or_none()
    return tuple(row) if row else None


def counts(session) -> dict[str, int]:
    return {table: count_rows(session, table) for table in TABLES}


def give_link(session, party: Party) -> PartyLink:
    link = PartyLink(party=party, token_hash="a" * 64, sent_to="lijst@alfa.example",
                     expires_at=utcnow() + dt.timedelta(days=30))
    session.add(link)
    session.commit()
    return link


# --- CSV of positions ---------------------------------------------------------------------------------------

def test_csv_export_has_one_row_per_party_and_statement(editions):
    rows = list(csv.reader(io.StringIO(export_positions_csv(editions.create()))))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + 3 * 4
    assert rows[1] == ["alfa", "Alfa Partij", "1", "muziekles", "Muziekles op elke basisschool", "agree",
                       "Muziek hoort bij school."]
    assert ["gamma", "Gamma Groep", "3", "cultuurpas", "Een cultuurpas", "", ""] in rows


def test_csv_round_trip_changes_nothing(db_session, editions):
    edition = editions.create(status="draft")
    exported = export_positions_csv(edition)
    plan = prepare_import(edition, exported.encode(), "positions.csv")
    assert not plan.preview.changed
    assert apply_import(Actor.system("tests"), plan)[1] is False
    assert edition.revision == 1


def test_csv_errors_name_every_line(editions):
    edition = editions.create()
    raw = "\r\n".join([
        HEADER,
        "alfa,Alfa Partij,1,muziekles,Muziekles op elke basisschool,agree,ok",
        "alfa,Alfa Partij,1,cultuurpas,Een cultuurpas,maybe,",
        "delta,Delta,4,muziekles,Muziekles op elke basisschool,agree,",
        "beta,Beta Beweging,2,muziekles-typo,,disagree,",
        "alfa,Alfa Partij,1,muziekles,Muziekles op elke basisschool,neutral,again",
        "beta,Beta Beweging,2,cultuurpas",
        f'beta,Beta Beweging,2,oefenruimte,,agree,"{"x" * 1001}"',
    ])
    assert csv_problems(raw, edition) == [
        "positions.csv: line 3 [position]: must be agree, neutral, disagree or empty, got 'maybe'",
        "positions.csv: line 4 [party]: unknown party id 'delta'",
        "positions.csv: line 5 [statement]: unknown statement id 'muziekles-typo'",
        "positions.csv: line 6 [statement]: party 'alfa' and statement 'muziekles' are on line 2 already",
        "positions.csv: line 7: has 4 values, the header has 7",
        "positions.csv: line 8 [explanation]: is longer than 1000 characters",
    ]


def test_csv_line_numbers_count_lines_inside_quoted_values(editions):
    edition = editions.create()
    raw = f'{HEADER}\nalfa,,,muziekles,,agree,"two\nlines"\nalfa,,,cultuurpas,,perhaps,\n'
    assert csv_problems(raw, edition) == [
        "positions.csv: line 4 [position]: must be agree, neutral, disagree or empty, got 'perhaps'"]


def test_csv_needs_its_columns_and_some_rows(editions):
    edition = editions.create()
    assert csv_problems("party,statement,position\n", edition) == [
        "positions.csv: line 1 [explanation]: column 'explanation' is missing"]
    assert csv_problems(HEADER + "\n\n", edition) == ["positions.csv: contains no positions"]
    [problem] = csv_problems(f'{HEADER}\nalfa,,,muziekles,,agree,ok\nbeta,,,muziekles,,agree,"{"x" * 200_000}"\n',
                             edition)
    assert problem.startswith("positions.csv: line 3: is not valid CSV: field larger than field limit")
    with pytest.raises(ValidationFailed) as info, force_locale("en"):
        parse_positions_csv(b"\xff\xfeparty", edition, "positions.csv")
    assert str(info.value) == "positions.csv: is not UTF-8 text"


def test_csv_from_a_dutch_spreadsheet_semicolons_and_bom(editions):
    edition = editions.create()
    raw = "\ufeff" + HEADER.replace(",", ";") + "\nbeta;Beta Beweging;2;muziekles;;Agree;Toch wel\n"
    changes = parse_positions_csv(raw.encode(), edition, "posities.csv")
    assert changes.values == {("beta", "muziekles"): (1, "Toch wel")}


def test_csv_names_that_differ_are_warnings_and_absent_rows_stay(db_session, editions):
    edition = editions.create(status="draft")
    raw = f"{HEADER}\nbeta,Beta Partij,2,cultuurpas,Een cultuurpas,,Geen standpunt\n"
    with force_locale("en"):
        plan = prepare_import(edition, raw.encode(), "positions.csv")
        assert [str(w) for w in plan.preview.warnings] == [
            "positions.csv: line 2 [party_name]: party 'beta' is called 'Beta Beweging' in this edition"]
    assert plan.preview.positions_only
    [change] = plan.preview.positions
    assert (change.party, change.statement, change.old, change.new) == ("beta", "cultuurpas", "disagree", None)
    assert (change.old_explanation, change.new_explanation) == ("Te duur.", "Geen standpunt")
    apply_import(Actor.system("tests"), plan)
    db_session.commit()
    assert position(db_session, "beta", "cultuurpas") == (None, "Geen standpunt")
    assert position(db_session, "beta", "muziekles") == (0, "Eerst rekenen.")


# --- edition files: preview and merge -----------------------------------------------------------------------

def changed_document():
    doc = edition_document()
    doc["statements"][0]["title"] = "Muziekles voor elk kind"
    doc["statements"][1]["background"] = "Nieuwe achtergrond."
    doc["statements"].pop(3)  # bezuiniging
    doc["statements"].append({"id": "podium", "theme": "Podia", "title": "Een poppodium",
                              "text": "Elke stad een poppodium.", "background": "Bands zoeken podia."})
    for party in doc["parties"]:
        del party["positions"]["bezuiniging"]
    doc["parties"][0]["positions"]["cultuurpas"]["position"] = "neutral"
    doc["parties"][1]["list_number"] = 5
    doc["parties"].pop(2)  # gamma
    doc["parties"].append({"id": "delta", "name": "Delta Lijst", "list_number": 4,
                           "positions": {"podium": {"position": "agree", "explanation": ""}}})
    doc["notice"] = "Andere tekst."
    return doc


def test_preview_lists_every_change(editions):
    edition = editions.create(status="draft")
    data = parse_edition(json.dumps(changed_document()), "new.json")
    preview = preview_edition_import(edition, data)
    assert preview.settings == ["notice"]
    assert [(s.key, s.fields) for s in preview.statements_changed] == [
        ("muziekles", ("title",)), ("cultuurpas", ("background",))]
    assert [s.key for s in preview.statements_added] == ["podium"]
    assert [s.key for s in preview.statements_removed] == ["bezuiniging"]
    assert not preview.statements_reordered
    assert [(p.key, p.fields) for p in preview.parties_changed] == [("beta", ("list_number",))]
    assert [p.key for p in preview.parties_added] == ["delta"]
    assert [p.key for p in preview.parties_removed] == ["gamma"]
    assert {(c.party, c.statement, c.old, c.new) for c in preview.positions} == {
        ("alfa", "cultuurpas", "agree", "neutral"), ("delta", "podium", None, "agree")}
    with force_locale("en"):
        assert preview.summary() == ("statements: 1 added, 2 changed, 1 removed; parties: 1 added, 1 changed, "
                                     "1 removed; positions: 2 changed; settings changed: notice")


def test_reordering_statements_is_a_change(editions):
    edition = editions.create(status="draft")
    doc = edition_document()
    doc["statements"].reverse()
    preview = preview_edition_import(edition, parse_edition(json.dumps(doc), "x.json"))
    assert preview.statements_reordered and preview.changed and not preview.statements_changed


def test_reimport_keeps_party_links_and_review_state(db_session, editions):
    edition = editions.create(status="draft")
    alfa = next(p for p in edition.parties if p.key == "alfa")
    alfa.submission_status, alfa.contact_email = "submitted", "lijst@alfa.example"
    link = give_link(db_session, alfa)
    alfa_id, statement_id = alfa.id, next(s.id for s in edition.statements if s.key == "muziekles")

    _, changed = store_edition(parse_edition(json.dumps(changed_document()), "new.json"), status="draft")
    db_session.commit()
    assert changed
    alfa = db_session.get(Party, alfa_id)
    assert alfa.key == "alfa" and alfa.submission_status == "submitted"
    assert alfa.contact_email == "lijst@alfa.example"
    assert [l.id for l in alfa.links] == [link.id]
    assert db_session.get(Statement, statement_id).title == "Muziekles voor elk kind"
    edition = db_session.get(Edition, EDITION)
    assert {p.key: p.submission_status for p in edition.parties} == {
        "alfa": "submitted", "beta": "not_invited", "delta": "not_invited"}
    assert [s.key for s in edition.statements] == ["muziekles", "cultuurpas", "oefenruimte", "podium"]
    stored, expected = edition_data(edition), parse_edition(json.dumps(changed_document()), "new.json")
    assert stored.statements == expected.statements and stored.notice == expected.notice
    assert sorted(stored.parties, key=lambda p: p.id) == sorted(expected.parties, key=lambda p: p.id)
    assert position(db_session, "alfa", "bezuiniging") is None
    assert count_rows(db_session, "position") == 3 + 3 + 1


def test_new_parties_of_a_published_file_count_as_reviewed(db_session, editions):
    editions.create()
    store_edition(parse_edition(json.dumps(changed_document()), "new.json"))
    db_session.commit()
    delta = db_session.scalar(select(Party).where(Party.key == "delta"))
    assert delta.submission_status == "accepted"


def test_removing_a_party_removes_its_links(db_session, editions):
    edition = editions.create(status="draft")
    give_link(db_session, next(p for p in edition.parties if p.key == "gamma"))
    store_edition(parse_edition(json.dumps(changed_document()), "new.json"))
    db_session.commit()
    assert count_rows(db_session, "party_link") == 0


def test_json_round_trip_of_a_draft_in_the_making(db_session, editions):
    """A draft may have a party without positions and a statement without background: it still round-trips."""
    doc = edition_document(status="draft")
    doc["statements"][0]["background"] = ""
    doc["parties"][2]["positions"] = {}
    store_edition(parse_edition(json.dumps(doc), "x.json", complete=False))
    db_session.commit()
    edition = db_session.get(Edition, EDITION)
    exported = dump_edition(edition)
    plan = prepare_import(edition, exported.encode(), f"{EDITION}.json")
    assert not plan.preview.changed
    assert apply_import(Actor.system("tests"), plan)[1] is False
    assert json.loads(dump_edition(edition)) == json.loads(exported)


# --- what an import may do ----------------------------------------------------------------------------------

def plan_problems(edition, doc_or_raw, filename="upload.json") -> list[str]:
    raw = doc_or_raw if isinstance(doc_or_raw, bytes) else json.dumps(doc_or_raw).encode()
    with pytest.raises(ValidationFailed) as info, force_locale("en"):
        prepare_import(edition, raw, filename)
    return [str(p) for p in info.value.problems]


def test_a_file_for_another_edition_is_refused(editions):
    edition = editions.create(status="draft")
    doc = edition_document(id="other-gm0344")
    assert plan_problems(edition, doc) == ["upload.json [id]: the file is for edition 'other-gm0344', "
                                           "not 'test2026-gm0344'"]


def test_published_and_archived_editions_take_no_import(editions):
    edition = editions.create()
    assert plan_problems(edition, edition_document()) == [
        "test2026-gm0344 [status]: an edition that is published takes no import: move it back to review first"]


def test_after_the_draft_only_texts_and_positions_change(editions):
    edition = editions.create(status="review")
    problems = plan_problems(edition, changed_document())
    assert "upload.json [statements]: adding statement 'podium' is not possible while the edition is in review" \
        in problems
    assert "upload.json [parties]: removing party 'gamma' is not possible while the edition is in review" \
        in problems
    assert len(problems) == 4
    doc = edition_document()
    doc["statements"][0]["title"] = "Muziekles voor elk kind"
    plan = prepare_import(edition, json.dumps(doc).encode(), "upload.json")
    assert plan.status == "review" and [w.field for w in plan.preview.warnings] == ["status"]


def test_a_new_edition_needs_a_free_id_and_municipality(editions):
    editions.create()
    assert plan_problems(None, edition_document()) == [
        "upload.json [id]: edition 'test2026-gm0344' exists already: import into it from its own page"]
    assert plan_problems(None, edition_document(id="copy-gm0344")) == [
        "copy-gm0344 [id]: edition 'test2026-gm0344' already covers Utrecht in test2026"]
    assert plan_problems(None, f"{HEADER}\n".encode(), "positions.csv") == [
        "positions.csv: a new edition needs an edition file (.json); a CSV of positions only updates an existing "
        "edition"]


# --- views --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [f"{ADMIN}/import", "/beheer/cultuurwijzer/edities/import",
                                 f"{ADMIN}/export.json", f"{ADMIN}/export.csv"])
def test_transfer_pages_are_for_editors(client, users, editions, url):
    editions.create(status="draft")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/beheer/inloggen" in anonymous.headers["Location"]
    users.login(client, users.create(role="coordinator"))
    assert client.get(url).status_code == 403


def test_csv_upload_previews_then_applies(client, db_session, editions, editor):
    editions.create(status="draft")
    raw = f"{HEADER}\nbeta,Beta Beweging,2,cultuurpas,Een cultuurpas,agree,Toch betaalbaar\n"
    preview = upload(client, f"{ADMIN}/import", "posities.csv", raw)
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Toch betaalbaar" in page and "Beta Beweging" in page
    assert position(db_session, "beta", "cultuurpas") == (-1, "Te duur.")  # nothing written yet

    applied = confirm(client, preview)
    assert applied.status_code == 302 and applied.headers["Location"].endswith(ADMIN)
    assert position(db_session, "beta", "cultuurpas") == (1, "Toch betaalbaar")
    edition = db_session.get(Edition, EDITION)
    assert edition.revision == 2
    [entry] = [e for e in history("edition", EDITION) if e.action == "edition.import"]
    assert entry.summary.startswith("posities.csv: 1 ") and entry.actor_id == editor.id


def test_errors_by_line_give_422_and_write_nothing(client, db_session, editions, editor):
    editions.create(status="draft")
    before = counts(db_session)
    raw = f"{HEADER}\nalfa,,,muziekles,,yes,\nzeta,,,muziekles,,agree,\n"
    response = upload(client, f"{ADMIN}/import", "posities.csv", raw)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "posities.csv: regel 2 [position]" in page and "posities.csv: regel 3 [party]" in page  # the Dutch UI
    assert counts(db_session) == before

    broken = upload(client, f"{ADMIN}/import", "x.json", '{"format": ,}')
    assert broken.status_code == 422 and "x.json: line 1, column 12" in broken.get_data(as_text=True)
    assert counts(db_session) == before


def test_content_no_database_stores_is_refused_before_anything_is_written(client, db_session, editions, editor):
    """A NUL (PostgreSQL refuses it), a lone surrogate (neither database encodes it) or absurd nesting: a 422
    listing the problem, never a 500, in the preview and so never at the confirmation."""
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")  # asserts English messages
    editions.create(status="draft")
    before = counts(db_session)
    nul = upload(client, f"{ADMIN}/import", "posities.csv",
                 f"{HEADER}\nbeta,Beta Beweging,2,cultuurpas,Een cultuurpas,agree,To\x00ch\n")
    assert nul.status_code == 422 and "posities.csv: line 2 [explanation]: contains a character that cannot be " \
        "stored" in nul.get_data(as_text=True)
    surrogate = json.dumps(edition_document(status="draft")).replace("Muziekles op elke basisschool", "Muziek\\ud800")
    lone = upload(client, f"{ADMIN}/import", "x.json", surrogate)
    assert lone.status_code == 422 and "contains a character that cannot be stored" in lone.get_data(as_text=True)
    deep = upload(client, f"{ADMIN}/import", "x.json", "[" * 100_000 + "]" * 100_000)
    assert deep.status_code == 422 and "x.json: is nested too deeply to read" in deep.get_data(as_text=True)
    assert counts(db_session) == before


def test_applying_checks_the_content_again(client, db_session, editions, editor):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")  # asserts English messages
    edition = editions.create(status="draft")
    doc = edition_document()
    doc["statements"][0]["title"] = "Muziekles voor elk kind"
    preview = upload(client, f"{ADMIN}/import", "x.json", json.dumps(doc))
    assert preview.status_code == 200 and "Muziekles voor elk kind" in preview.get_data(as_text=True)
    edition.status = "published"  # meanwhile, somebody published it
    db_session.commit()
    before = counts(db_session)
    response = confirm(client, preview)
    assert response.status_code == 422 and "move it back to review first" in response.get_data(as_text=True)
    assert counts(db_session) == before and db_session.get(Edition, EDITION).revision == 1


def test_json_upload_replaces_the_content_and_keeps_links(client, db_session, editions, editor):
    edition = editions.create(status="draft")
    give_link(db_session, next(p for p in edition.parties if p.key == "alfa"))
    preview = upload(client, f"{ADMIN}/import", "nieuw.json", json.dumps(changed_document()))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Een poppodium" in page and "Gamma Groep" in page and "Delta Lijst" in page
    assert confirm(client, preview).status_code == 302
    edition = db_session.get(Edition, EDITION)
    assert edition.status == "draft" and edition.notice == "Andere tekst."
    assert [p.key for p in edition.parties] == ["alfa", "delta", "beta"]
    assert count_rows(db_session, "party_link") == 1


def test_import_a_new_edition_as_draft(client, db_session, editions, editor):
    doc = edition_document(id="test2026-gm0014", status="published")
    doc["municipality"] = {"code": "GM0014", "name": "Groningen", "province": "Groningen"}
    url = "/beheer/cultuurwijzer/edities/import"
    preview = upload(client, url, "groningen.json", json.dumps(doc))
    assert preview.status_code == 200 and "test2026-gm0014" in preview.get_data(as_text=True)
    assert count_rows(db_session, "edition") == 0
    applied = confirm(client, preview)
    assert applied.headers["Location"].endswith("/edities/test2026-gm0014")
    edition = db_session.get(Edition, "test2026-gm0014")
    assert edition.status == "draft"
    assert {p.submission_status for p in edition.parties} == {"not_invited"}
    assert [e.action for e in history("edition", edition.id)] == ["edition.import"]


def test_a_tampered_confirmation_is_refused(client, db_session, editions, editor):
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")  # asserts English messages
    editions.create(status="draft")
    preview = upload(client, f"{ADMIN}/import", "positions.csv", export_positions_csv(
        db_session.get(Edition, EDITION)))
    assert "nothing to change" in preview.get_data(as_text=True)
    response = client.post(f"{ADMIN}/import/toepassen", data={
        "csrf_token": csrf_token(client, f"{ADMIN}/import"), "content": "not base64!", "filename": "x.csv"})
    assert response.status_code == 400


def test_exports_download_both_formats(client, editions, editor):
    edition = editions.create(status="draft")
    as_json = client.get(f"{ADMIN}/export.json")
    assert as_json.headers["Content-Disposition"] == f"attachment; filename={EDITION}.json"
    assert as_json.get_data(as_text=True) == dump_edition(edition)
    as_csv = client.get(f"{ADMIN}/export.csv")
    assert as_csv.mimetype == "text/csv"
    assert as_csv.headers["Content-Disposition"] == f"attachment; filename={EDITION}-positions.csv"
    assert as_csv.get_data(as_text=True) == export_positions_csv(edition)


# --- open data ----------------------------------------------------------------------------------------------

def test_open_data_lists_published_editions_with_the_licence(app, client, editions):
    editions.create()
    doc = edition_document(id="test2026-gm0014", status="draft")
    doc["municipality"] = {"code": "GM0014", "name": "Groningen", "province": "Groningen"}
    editions.create(doc)
    response = client.get("/open-data/", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.cache_control.public
    assert f"/open-data/{EDITION}.json" in page and f"/open-data/{EDITION}.csv" in page
    assert "Groningen" not in page
    assert app.config["OPEN_DATA_LICENCE_URL"] in page and "fictional" in page
    assert "Set-Cookie" not in response.headers


def test_open_data_json_is_licensed_and_imports_again(app, client, db_session, editions):
    editions.create(status="review")
    assert client.get(f"/open-data/{EDITION}.json").status_code == 404
    assert client.get("/open-data/nope.csv").status_code == 404
    edition = db_session.get(Edition, EDITION)
    edition.status = "published"
    db_session.commit()

    response = client.get(f"/open-data/{EDITION}.json")
    licence_url = app.config["OPEN_DATA_LICENCE_URL"]
    assert response.status_code == 200 and response.cache_control.public
    assert response.headers["Link"] == f'<{licence_url}>; rel="license"'
    doc = response.get_json()
    assert doc["licence"] == {"name": app.config["OPEN_DATA_LICENCE"], "url": licence_url}
    del doc["licence"]
    assert doc == edition_to_dict(edition)
    data = parse_edition(response.get_data(), f"{EDITION}.json")
    assert store_edition(data)[1] is False

    again = client.get(f"/open-data/{EDITION}.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_open_data_csv_has_the_header_and_the_licence_link(app, client, editions):
    edition = editions.create()
    response = client.get(f"/open-data/{EDITION}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).splitlines()[0] == HEADER
    assert response.get_data(as_text=True) == export_positions_csv(edition)
    assert response.headers["Link"] == f'<{app.config["OPEN_DATA_LICENCE_URL"]}>; rel="license"'
