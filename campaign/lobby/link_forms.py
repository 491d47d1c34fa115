"""Forms of the links between topics and statements and debates: the statement picker, the filters of the
positions page and of the debate picker, and linking a debate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from campaign.coordinators.recruitment_forms import STRIP
from campaign.core.forms import choices

# The name of the supporting-answer control of one statement in the picker: "supports-<key>".
SUPPORTS_PREFIX = "supports-"
SUPPORTS_CHOICES = choices([("agree", _l("agreeing")), ("disagree", _l("disagreeing"))])
SHOW_CHOICES = choices([("published", _l("Published editions")), ("all", _l("Every edition"))])


class StatementSearchForm(FlaskForm):
    """A GET form (no CSRF): the picker's search."""

    class Meta:
        csrf = False

    q = StringField(_l("Search by key, title or theme"), filters=STRIP, validators=[Optional(), Length(max=200)],
                    render_kw={"type": "search"})


class StatementLinksForm(FlaskForm):
    """The statements ticked in the picker; each one's supporting answer comes in its own control
    (``supports-<key>``, agree unless said otherwise)."""

    keys = SelectMultipleField(_l("Statements"), validate_choice=False,
                               validators=[DataRequired(_l("Choose at least one statement."))])

    def links(self, formdata) -> dict[str, str]:
        """key -> supporting answer, in the order the keys came."""
        return {key: formdata.get(SUPPORTS_PREFIX + key, "agree") for key in dict.fromkeys(self.keys.data)}


class PositionFilterForm(FlaskForm):
    """A GET form (no CSRF): the positions page's filters, also in the URL and the CSV link."""

    class Meta:
        csrf = False

    show = SelectField(_l("Editions"), validators=[Optional()], choices=SHOW_CHOICES, default="published")
    gemeente = StringField(_l("Municipality contains"), filters=STRIP, validators=[Optional(), Length(max=120)],
                           render_kw={"type": "search"})
    verkiezing = SelectField(_l("Election"), validators=[Optional()], choices=[])


class DebateFilterForm(FlaskForm):
    """A GET form (no CSRF): the debate picker's municipality."""

    class Meta:
        csrf = False

    gemeente = SelectField(_l("Municipality"), validators=[Optional()], choices=[])


class LinkDebateForm(FlaskForm):
    debate = HiddenField(_l("Debate"), validators=[DataRequired(_l("Choose a debate.")),
                                                   Regexp(r"^\d{1,9}$", message=_l("Choose a debate."))])
