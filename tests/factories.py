"""Factory helpers (Indico style): build valid edition documents and store them, changing only what a test names."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def edition_document(**changes: Any) -> dict:
    """The small fictional test edition (tests/fixtures/mini-edition.json) with top-level keys replaced."""
    doc = json.loads((FIXTURES / "mini-edition.json").read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    doc.update(changes)
    return doc


class EditionFactory:
    def __init__(self, session):
        self.session = session

    def create(self, document: dict | None = None, *, status: str | None = None, **changes: Any):
        from campaign.cultuurwijzer.editions import store_edition, validate_edition

        data = validate_edition(document if document is not None else edition_document(**changes), "factory")
        edition, _ = store_edition(data, status=status)
        self.session.commit()
        return edition
