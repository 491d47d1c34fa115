"""The `campaign` command line: init-db, demo (idempotent), import/export with clear errors."""

import json

from flask_babel import force_locale
from sqlalchemy import select

from campaign.core.models import Municipality
from campaign.cultuurwijzer.models import Edition
from tests.conftest import ROOT, count_rows
from tests.factories import FIXTURES, edition_document


def invoke(app, *args, catch_exceptions=False):
    """Run a command in English (outside a request the default language, Dutch, applies)."""
    with force_locale("en"):
        return app.test_cli_runner().invoke(args=list(args), catch_exceptions=catch_exceptions)


def test_demo_loads_every_file_and_twice_changes_nothing(app, db_session):
    first = invoke(app, "demo")
    assert first.exit_code == 0, first.output
    files = sorted((ROOT / "data" / "parties").glob("*.json"))
    assert files, "demo data is missing"
    editions = db_session.scalars(select(Edition)).all()
    assert len(editions) == len(files) >= 3
    assert all(e.demo and e.status == "published" for e in editions)
    counts = {t: count_rows(db_session, t) for t in ("edition", "statement", "party", "position", "municipality")}
    revisions = {e.id: e.revision for e in editions}
    db_session.expire_all()
    second = invoke(app, "demo")
    assert second.exit_code == 0 and "unchanged" in second.output
    assert {t: count_rows(db_session, t) for t in counts} == counts
    assert {e.id: e.revision for e in db_session.scalars(select(Edition))} == revisions


def test_demo_data_is_sound():
    """Every demo edition is valid, fictional, and has 20-30 statements and 6-12 parties."""
    from campaign.cultuurwijzer.editions import read_edition_file

    for path in sorted((ROOT / "data" / "parties").glob("*.json")):
        data = read_edition_file(path)
        assert data.demo is True, path.name
        assert "Fictieve demodata" in data.notice, path.name
        assert 20 <= len(data.statements) <= 30, path.name
        assert 6 <= len(data.parties) <= 12, path.name
        vectors = [tuple(p.positions.get(s.id, (None, ""))[0] for s in data.statements) for p in data.parties]
        assert len(set(vectors)) == len(vectors), f"{path.name}: two parties cannot be told apart"


def test_import_edition_reports_errors_and_exits_non_zero(app, db_session, tmp_path):
    doc = edition_document()
    doc["parties"][0]["positions"]["muziekles"]["position"] = "ja"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    result = invoke(app, "import-edition", str(bad), catch_exceptions=True)
    assert result.exit_code == 1
    assert "bad.json: parties[0] (alfa).positions.muziekles [position]" in result.output
    assert count_rows(db_session, "edition") == 0


def test_import_then_export_gives_the_same_document(app, db_session, tmp_path):
    source = FIXTURES / "mini-edition.json"
    assert invoke(app, "import-edition", str(source)).exit_code == 0
    target = tmp_path / "out.json"
    assert invoke(app, "export-edition", "test2026-gm0344", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text()) == json.loads(source.read_text())
    everything = tmp_path / "all"
    assert invoke(app, "export-edition", "--all", "-o", str(everything)).exit_code == 0
    assert (everything / "test2026-gm0344.json").exists()


def test_import_edition_status_override(app, db_session):
    invoke(app, "import-edition", "--status", "draft", str(FIXTURES / "mini-edition.json"))
    assert db_session.get(Edition, "test2026-gm0344").status == "draft"


def test_import_municipalities_in_cbs_layout(app, db_session, tmp_path):
    csv = tmp_path / "gemeenten.csv"
    csv.write_text("\ufeffGemeentecode;GemeentecodeGM;Gemeentenaam;Provinciecode;ProvinciecodePV;Provincienaam\n"
                   "0344;GM0344;Utrecht;26;PV26;Utrecht\n0014;GM0014;Groningen;20;PV20;Groningen\n", encoding="utf-8")
    result = invoke(app, "import-municipalities", str(csv))
    assert result.exit_code == 0 and "2 new" in result.output
    assert db_session.scalar(select(Municipality.name).where(Municipality.code == "GM0014")) == "Groningen"


def test_import_municipalities_names_the_bad_line_and_writes_nothing(app, db_session, tmp_path):
    csv = tmp_path / "gemeenten.csv"
    csv.write_text("GemeentecodeGM,Gemeentenaam,Provincienaam\nGM0344,Utrecht,Utrecht\nGM34,Ergens,\n")
    result = invoke(app, "import-municipalities", str(csv), catch_exceptions=True)
    assert result.exit_code == 1
    assert "gemeenten.csv: line 3 [GemeentecodeGM]: must be a CBS code such as GM0344, got 'GM34'" in result.output
    assert "gemeenten.csv: line 3 [Provincienaam]: must not be empty" in result.output
    assert count_rows(db_session, "municipality") == 0


def test_missing_columns_are_named(app, db_session, tmp_path):
    csv = tmp_path / "gemeenten.csv"
    csv.write_text("code;naam\nGM0344;Utrecht\n")
    result = invoke(app, "import-municipalities", str(csv), catch_exceptions=True)
    assert result.exit_code == 1 and "missing column(s): GemeentecodeGM, Gemeentenaam, Provincienaam" in result.output
