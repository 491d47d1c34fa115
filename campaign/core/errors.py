"""Validation problems that name where they are, for imports and API input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

# An email address as the domain checks it (``email_problems``): name@domain.tld, at most MAX_EMAIL characters.
MAX_EMAIL = 254
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with some input: where (file/line/path) and what (field, message)."""

    location: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = self.location + (f" [{self.field}]" if self.field else "")
        return f"{where}: {self.message}"

    @property
    def display(self) -> str:
        """For a page: where and what, without the internal field name (the page marks the field itself)."""
        return f"{self.location}: {self.message}"


@dataclass
class ValidationFailed(Exception):
    """All problems found in one input; raised before anything is written."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def text_problems(value: str, label, field_name: str, *, limit: int, missing=None) -> list[Problem]:
    """What is wrong with a text input (already stripped): empty although required (``missing`` is the message
    that asks for it; without one, empty is fine), or longer than ``limit`` characters. Nothing: []."""
    if not value:
        return [Problem(str(label), str(missing), field_name)] if missing is not None else []
    if len(value) > limit:
        return [Problem(str(label), str(_l("At most %(n)d characters.", n=limit)), field_name)]
    return []


def unstorable(text: str) -> bool:
    """A NUL or a lone surrogate: JSON may carry them ("\\u0000", "\\ud800"); no database stores them."""
    return "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text)


def email_problems(email: str, label, field_name: str, *, missing=None) -> list[Problem]:
    """What is wrong with an email address (already stripped or normalised): empty although required
    (``missing`` asks for it; without one, empty is fine), too long, not shaped like an address or not
    storable. Nothing: []."""
    if not email:
        return [Problem(str(label), str(missing), field_name)] if missing is not None else []
    if len(email) > MAX_EMAIL or not EMAIL.match(email) or unstorable(email):
        return [Problem(str(label), str(_l("Enter a valid email address, like name@example.org.")), field_name)]
    return []
