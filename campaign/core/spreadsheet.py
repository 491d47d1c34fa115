"""CSV exports that spreadsheets open safely."""

from __future__ import annotations

# A cell starting with one of these is a formula to a spreadsheet: exports prefix it with '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (a name may start with "=")."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
