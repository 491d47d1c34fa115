"""Audit-log actions of the coordinator module, as people read them (added to the shared registry)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.core.labels import action_labels

action_labels.update({
    "application.create": _l("Application received"),
    "application.verify": _l("Email address verified"),
    "application.move": _l("Status changed"),
    "application.notify": _l("Applicant notified"),
    "application.assign": _l("Assigned to a municipality"),
    "application.unassign": _l("Assignment ended"),
})
