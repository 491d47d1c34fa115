"""Audit-log actions of the coordinator module, as people read them (added to the shared registry)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.core.labels import action_labels

action_labels.update({
    "application.create": _l("Application received"),
    "application.resubmit": _l("Application form sent again before verification"),
    "application.verify": _l("Email address verified"),
    "application.move": _l("Status changed"),
    "application.notify": _l("Applicant notified"),
    "application.notes": _l("Internal notes changed"),
    "application.assign": _l("Assigned to a municipality"),
    "application.unassign": _l("Assignment ended"),
    "recruitment_target.set": _l("Recruitment target set"),
    "organisation.create": _l("Organisation added"),
    "organisation.update": _l("Organisation changed"),
    "person.erase": _l("Personal data erased on request"),
    "privacy.purge": _l("Expired personal data removed"),
    "question.create": _l("Question received"),
    "question.answer": _l("Question answered"),
    "answer_template.create": _l("Answer template added"),
    "answer_template.update": _l("Answer template changed"),
    "answer_template.delete": _l("Answer template removed"),
    "training_module.create": _l("Training module created"),
    "training_module.update": _l("Training module changed"),
    "training_session.create": _l("Training session scheduled"),
    "training_session.update": _l("Training session changed"),
    "training_session.cancel": _l("Training session cancelled"),
    "training_session.remind": _l("Session reminders sent"),
    "training.enrol": _l("Enrolled in a training session"),
    "training.cancel": _l("Training enrolment cancelled"),
    "training.promote": _l("Moved up from the waitlist"),
    "training.attendance": _l("Attendance recorded"),
    "training.complete": _l("Training module completed"),
    "training.undo_completion": _l("Training module completion undone"),
    "article.create": _l("Knowledge-base item added"),
    "article.update": _l("Knowledge-base item changed"),
    "article.delete": _l("Knowledge-base item removed"),
    "checklist.create": _l("Checklist item added"),
    "checklist.update": _l("Checklist item changed"),
    "checklist.delete": _l("Checklist item removed"),
    "checklist.move": _l("Checklist item moved"),
    "checklist.done": _l("Checklist item ticked off"),
    "checklist.undone": _l("Checklist item unticked"),
})
