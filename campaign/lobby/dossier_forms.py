"""Forms of the dossier pages: GET forms (no CSRF), their values also in the URL.

- the list of municipalities: search by name or CBS code, filter by province;
- one dossier: the election shown (by its slug), e.g. ``/beheer/lobby/gemeenten/GM0344?verkiezing=gr2026``.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from campaign.coordinators.recruitment_forms import STRIP, TOO_LONG
from campaign.core.forms import choices


class DossierFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Name or CBS code"), filters=STRIP, validators=[Optional(), Length(max=120, message=TOO_LONG)],
                    description=_l("For example Utrecht or GM0344."))
    provincie = SelectField(_l("Province"), validators=[Optional()], choices=[])


class ElectionForm(FlaskForm):
    class Meta:
        csrf = False

    verkiezing = SelectField(_l("Election"), validators=[Optional()], choices=[],
                             description=_l("The edition and the debates of this election are shown."))

    def offer(self, elections) -> None:
        """Choose from these elections, each by its name and date."""
        self.verkiezing.choices = choices((e.slug, f"{e.name} ({format_date(e.date, 'long')})") for e in elections)
