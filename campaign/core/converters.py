"""URL converters: the app's ``<int:...>`` accepts only ids a database column can hold."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# The largest value of a 32-bit signed integer column (PostgreSQL INTEGER); our ids never come near it.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` with an upper bound: a larger number does not match the route, so it answers 404 instead of
    reaching the database (SQLite raises OverflowError beyond 64 bits, PostgreSQL an out-of-range error).

    Registered as the app's "int" converter before any blueprint, so every ``<int:...>`` route uses it."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)


def id_arg(value: str) -> int:
    """``request.args.get(name, type=id_arg)``: an id from the query string, or None when it cannot be one
    (Werkzeug turns the ValueError into the default)."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


def optional_id(value) -> int | None:
    """A select's value as an id (``SelectField(coerce=optional_id)``); "" (no choice), or a number no id column
    holds, as None."""
    try:
        return id_arg(value)
    except (TypeError, ValueError):
        return None
