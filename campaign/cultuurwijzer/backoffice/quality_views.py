"""Placeholder: filled in by its own change."""

from campaign.cultuurwijzer.backoffice import bp  # noqa: F401
