"""What every iCalendar file of ours shares: times in UTC and a stable host for UIDs."""

from __future__ import annotations

import datetime as dt

from flask import current_app


def utc(value: dt.datetime) -> dt.datetime:
    """A stored naive-UTC moment as an aware one (written with a Z)."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def server_host() -> str:
    """The host in UIDs: SERVER_NAME, else the domain of the sender address, so that it is the same in a
    request and in the ``send-reminders`` command."""
    config = current_app.config
    host = (config.get("SERVER_NAME") or "").split(":")[0]
    if not host:
        sender = str(config.get("MAIL_DEFAULT_SENDER") or "").strip().rstrip(">")
        host = sender.rpartition("@")[2]
    return host or "localhost"
