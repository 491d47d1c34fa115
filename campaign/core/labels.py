"""Translated names of roles, shown in the back office (lazy: rendered in the reader's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

role_labels = {
    "admin": _l("administrator"),
    "editor": _l("editor"),
    "coordinator": _l("coordinator"),
}
