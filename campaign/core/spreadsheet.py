"""CSV in and out: imports that name every bad line, exports that spreadsheets open safely."""

from __future__ import annotations

import csv
import io
from typing import Callable, Iterator

from flask_babel import lazy_gettext as _l

from campaign.core.errors import Problem, ValidationFailed

# A cell starting with one of these is a formula to a spreadsheet: exports prefix it with '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (a name may start with "=")."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_delimiter(text: str) -> str:
    """Comma, or semicolon when the header row holds more of those (a spreadsheet in a Dutch locale)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def decode_csv(raw: bytes, source: str, not_utf8=_l("is not UTF-8 text")) -> str:
    """The file's text (a byte-order mark dropped), or ValidationFailed naming the file."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed([Problem(source, str(not_utf8))]) from None


def csv_line(source: str, number: int) -> str:
    return str(_l("%(source)s: line %(number)d", source=source, number=number))


class CsvRows:
    """The rows of a CSV file with a header line, each as (the line it starts on, {column: stripped value}).

    ``columns``: the columns read, by their names after ``rename`` (lower-cased header names, e.g. Dutch
    aliases to English ones); a missing ``required`` one raises ValidationFailed at once. A row with another
    number of values than the header, and a CSV syntax error, go to ``problems`` (the caller's list, so that
every problem stays in line order) naming their line; blank rows
    are skipped. ``written[column]`` is the column's name as the file writes it.
    """

    def __init__(self, text: str, source: str, columns: tuple[str, ...], required: tuple[str, ...], *,
                 problems: list[Problem], rename: Callable[[str], str] = lambda name: name,
                 max_rows: int | None = None, show_header: bool = False):
        self.source, self.columns, self.max_rows, self.problems = source, columns, max_rows, problems
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
        try:
            names = [name.strip() for name in next(self._reader, [])]
        except csv.Error as exc:
            raise ValidationFailed([self._syntax_problem(exc)]) from None
        self.header = [rename(name.lower()) for name in names]
        missing = [name for name in required if name not in self.header]
        if missing:
            raise ValidationFailed([Problem(
                self.line(1), str(_l("column %(name)r is missing (the header is %(header)s)", name=name,
                                     header=",".join(columns)) if show_header
                                  else _l("column %(name)r is missing", name=name)), name)
                for name in missing])
        self.index = {name: self.header.index(name) for name in columns if name in self.header}
        self.written = {name: names[index] for name, index in self.index.items()}

    def line(self, number: int) -> str:
        return csv_line(self.source, number)

    def _syntax_problem(self, exc: csv.Error) -> Problem:
        return Problem(self.line(self._reader.line_num), str(_l("is not valid CSV: %(error)s", error=exc)))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        end, count = self._reader.line_num, 0
        try:
            for row in self._reader:
                # A quoted value may span lines: a row starts on the line after the previous row ended.
                number, end = end + 1, self._reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                count += 1
                if self.max_rows is not None and count > self.max_rows:
                    raise ValidationFailed([Problem(self.source, str(_l(
                        "has more than %(max)d lines: split it into smaller files", max=self.max_rows)))])
                if len(row) != len(self.header):
                    self.problems.append(Problem(self.line(number), str(_l(
                        "has %(count)d values, the header has %(expected)d", count=len(row),
                        expected=len(self.header)))))
                    continue
                yield number, {name: row[index].strip() for name, index in self.index.items()}
        except csv.Error as exc:
            self.problems.append(self._syntax_problem(exc))
