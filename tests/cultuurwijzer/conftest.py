"""Fixtures shared by the Cultuurwijzer tests (the app, client, factories and so on are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture()
def editor(client, users):
    """An editor, signed in on the client."""
    user = users.create(role="editor")
    users.login(client, user)
    return user
