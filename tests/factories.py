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


class Mailbox:
    """Reads what the file mail backend wrote: one .eml per message, oldest first."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def clear(self) -> None:
        if self.folder.exists():
            for path in self.folder.glob("*.eml"):
                path.unlink()

    def messages(self):
        import email
        import email.policy

        if not self.folder.exists():
            return []
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted(self.folder.glob("*.eml"))]

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, message) -> list[str]:
        import re

        return re.findall(r"https?://\S+", self.body(message))


class UserFactory:
    PASSWORD = "correct horse battery"

    def __init__(self, session):
        self.session = session
        self.count = 0

    def create(self, role: str = "editor", *, email: str | None = None, name: str | None = None,
               municipalities: list[str] | None = None, password: str | None = PASSWORD, active: bool = True):
        from campaign.core.accounts import create_user
        from campaign.core.audit import Actor

        self.count += 1
        user = create_user(Actor.system("tests"), email=email or f"{role}{self.count}@example.org",
                           name=name or f"{role.title()} {self.count}", role=role, password=password,
                           municipality_codes=municipalities or [])
        user.active = active
        self.session.commit()
        return user

    @staticmethod
    def login(client, user) -> None:
        """Sign in as Flask-Login would after a successful form (the form itself has its own tests)."""
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True


# Fictional test places: two municipalities in Utrecht, one in Groningen, one in Noord-Brabant.
PLACES = (("GM0344", "Utrecht", "Utrecht"), ("GM0355", "Zeist", "Utrecht"),
          ("GM0014", "Groningen", "Groningen"), ("GM0855", "Tilburg", "Noord-Brabant"))


def create_places(session) -> dict:
    """code -> Municipality for PLACES (made once per test database state)."""
    from sqlalchemy import select

    from campaign.core.models import Municipality

    found = {m.code: m for m in session.scalars(select(Municipality))}
    for code, name, province in PLACES:
        if code not in found:
            found[code] = Municipality(code=code, name=name, province=province)
            session.add(found[code])
    session.commit()
    return found


class ApplicationFactory:
    """``applications.create("active", municipalities=["GM0344"])``: an application walked through the
    pipeline to the status asked for (``pipeline.path_to``), with the side effects of every step (account,
    assignment...)."""

    def __init__(self, session):
        self.session = session
        self.count = 0

    def create(self, status: str = "verified", *, municipalities=("GM0344",), name: str | None = None,
               email: str | None = None, organisation=None, language: str = "nl", **fields):
        from sqlalchemy import select

        from campaign.core.audit import Actor
        from campaign.core.models import Municipality, utcnow
        from campaign.coordinators.demo import walk_to
        from campaign.coordinators.models import Application

        create_places(self.session)
        self.count += 1
        application = Application(
            name=name or f"Vrijwilliger {self.count}", email=email or f"volunteer{self.count}@example.org",
            organisation=organisation, language=language, consent_version="test", consent_at=utcnow(),
            motivation=fields.pop("motivation", "Cultuuronderwijs verdient een plek op de agenda."),
            availability=fields.pop("availability", "Twee avonden per week."),
            experience=fields.pop("experience", "Bestuurslid van een muziekschool."), **fields)
        application.municipalities = list(self.session.scalars(
            select(Municipality).where(Municipality.code.in_(list(municipalities)))))
        self.session.add(application)
        self.session.flush()
        walk_to(Actor.system("tests"), application, status)
        self.session.commit()
        return application
