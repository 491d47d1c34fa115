"""Fixtures shared by the coordinator tests (the app, client, factories and so on are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture()
def english(client):
    """The client, reading the pages in English (the language cookie): for tests that assert English text."""
    client.set_cookie("lang", "en", domain="cultuurwijzer.test")
    return client
