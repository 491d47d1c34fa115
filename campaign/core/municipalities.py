"""Import municipalities from a CSV in the column layout CBS publishes ("Gemeenten alfabetisch").

CBS columns: Gemeentecode;GemeentecodeGM;Gemeentenaam;Provinciecode;ProvinciecodePV;Provincienaam
(semicolon or comma separated, optionally with a byte-order mark). Only GemeentecodeGM, Gemeentenaam and
Provincienaam are required; rows are upserted by code, all-or-nothing.
"""

from __future__ import annotations

import csv
import io

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from campaign.core.errors import Problem, ValidationFailed
from campaign.core.models import MUNICIPALITY_CODE, Municipality
from campaign.extensions import db

REQUIRED = ("GemeentecodeGM", "Gemeentenaam", "Provincienaam")


def parse_municipalities_csv(text: str, source: str = "<csv>") -> list[dict[str, str]]:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [col for col in REQUIRED if col not in header]
    if missing:
        raise ValidationFailed([Problem(f"{source}: line 1", str(_l("missing column(s): %(columns)s",
                                                                      columns=", ".join(missing))))])
    reader.fieldnames = header
    rows, problems, seen = [], [], set()
    for line_no, row in enumerate(reader, start=2):
        code = (row.get("GemeentecodeGM") or "").strip()
        name = (row.get("Gemeentenaam") or "").strip()
        province = (row.get("Provincienaam") or "").strip()
        location = f"{source}: line {line_no}"
        if not MUNICIPALITY_CODE.match(code):
            problems.append(Problem(location, str(_l("must be a CBS code such as GM0344, got %(value)r",
                                                     value=code)), "GemeentecodeGM"))
        elif code in seen:
            problems.append(Problem(location, str(_l("code %(code)s appears twice", code=code)),
                                    "GemeentecodeGM"))
        seen.add(code)
        if not name:
            problems.append(Problem(location, str(_l("must not be empty")), "Gemeentenaam"))
        if not province:
            problems.append(Problem(location, str(_l("must not be empty")), "Provincienaam"))
        rows.append({"code": code, "name": name, "province": province})
    if problems:
        raise ValidationFailed(problems)
    if not rows:
        raise ValidationFailed([Problem(source, str(_l("holds no municipalities")))])
    return rows


def import_municipalities(rows: list[dict[str, str]]) -> tuple[int, int]:
    """Upsert by CBS code in one transaction; returns (created, updated)."""
    existing = {m.code: m for m in db.session.scalars(select(Municipality))}
    created = updated = 0
    try:
        for row in rows:
            m = existing.get(row["code"])
            if m is None:
                db.session.add(Municipality(**row))
                created += 1
            elif (m.name, m.province) != (row["name"], row["province"]):
                m.name, m.province = row["name"], row["province"]
                updated += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created, updated


def load_municipality(code: str) -> Municipality:
    """The municipality with this CBS code (any case), or 404: for the pages under a municipality's URL."""
    return db.session.scalar(select(Municipality).where(Municipality.code == code.upper())) or abort(404)
