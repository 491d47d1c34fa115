"""Debates in member venues: venues, scheduling with conflict checks, a public agenda, registration.

See ``models.py`` for the data and where each rule lives, and ``blueprints.py`` for the pages.
"""
