"""Validation problems that name where they are, for imports and API input."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


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
