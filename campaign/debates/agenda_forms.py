"""The public agenda's filter form (a GET form: the filters are in the URL, so a filtered agenda can be shared)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from campaign.core.forms import choices, plausible_year
from campaign.debates.labels import KIND_LABELS
from campaign.debates.models import DEBATE_KINDS


def _not_before_from(form, field) -> None:
    if field.data and form.date_from.data and field.data < form.date_from.data:
        raise ValidationError(_l("The last day comes on or after the first day."))


class AgendaFilterForm(FlaskForm):
    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional(), plausible_year],
                          description=_l("First day, e.g. 2026-12-01."))
    date_to = DateField(_l("Until"), validators=[Optional(), plausible_year, _not_before_from],
                        description=_l("Last day (included)."))
    kind = SelectField(_l("Kind of debate"), validators=[Optional()],
                       choices=choices([("", _l("Every kind"))] + [(k, KIND_LABELS[k]) for k in DEBATE_KINDS]))
    # Choices: the municipalities with a debate in the agenda (set by the view).
    municipality = SelectField(_l("Municipality"), validators=[Optional()])
