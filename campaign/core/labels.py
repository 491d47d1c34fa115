"""Translated names shown in the back office (lazy: rendered in the reader's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

role_labels = {
    "admin": _l("administrator"),
    "editor": _l("editor"),
    "coordinator": _l("coordinator"),
}

# Audit-log actions as people read them; each module adds its own (see campaign/cultuurwijzer/labels.py).
action_labels = {
    "user.create": _l("Account created"),
    "user.update": _l("Account changed"),
    "user.password": _l("Password set"),
}
