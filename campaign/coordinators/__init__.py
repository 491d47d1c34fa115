"""Coordinators: planned in its own issue; the folder exists so the layout in DESIGN.md is visible."""
