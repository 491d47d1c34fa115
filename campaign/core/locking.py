"""Row locks that hold on both databases, for rules that count before they write (seats, venue bookings).

PostgreSQL: ``SELECT ... FOR UPDATE`` locks the row until the transaction ends; a second transaction that wants
it waits, then reads the row as the first one left it.

SQLite has no row locks, and Python's driver opens a transaction only at the first write, so two processes
could both count 49 of 50 seats and both write the 50th. ``lock_row`` therefore takes SQLite's one write lock
up front (``BEGIN IMMEDIATE``): writers queue (``busy_timeout``) and each one counts what the previous one
committed. Readers are not blocked (WAL).
"""

from __future__ import annotations

import sqlite3
from typing import TypeVar

from sqlalchemy import select

from campaign.extensions import db

T = TypeVar("T")


def begin_write() -> None:
    """On SQLite, take the database's write lock now, unless this transaction already holds it (it wrote
    something). On other databases, nothing: their row locks do the work."""
    connection = db.session.connection()
    driver = connection.connection.driver_connection
    if isinstance(driver, sqlite3.Connection) and not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")


def lock_row(model: type[T], row_id: int) -> T:
    """Lock one row for the rest of the transaction and return it as it is now (reloaded, not from the
    session's cache). Raises ``NoResultFound`` when it is gone."""
    begin_write()
    return db.session.scalars(select(model).where(model.id == row_id).with_for_update()
                              .execution_options(populate_existing=True)).one()
