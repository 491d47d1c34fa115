"""Forms of the local figures pages (the boundary for HTML input; ``figures.py`` checks everything again).

Field names are the domain's argument names, so that a problem the domain names lands beside its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.coordinators.recruitment_forms import STRIP, TOO_LONG
from campaign.lobby import figures as rules


class FigureKindForm(FlaskForm):
    key = StringField(_l("Key"), filters=STRIP, validators=[
        DataRequired(_l("Enter a key.")), Length(max=rules.MAX_KEY, message=TOO_LONG)],
        description=_l("Names the figure in the CSV files: lower-case letters, digits and hyphens, e.g. "
                       "muziekschool-leerlingen."), render_kw={"autocomplete": "off", "spellcheck": "false"})
    name = StringField(_l("Name (Dutch)"), filters=STRIP, validators=[
        DataRequired(_l("Enter a name.")), Length(max=rules.MAX_NAME, message=TOO_LONG)])
    name_en = StringField(_l("Name (English)"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_NAME, message=TOO_LONG)],
        description=_l("Shown to readers of the English pages; the Dutch name when empty."))
    unit = StringField(_l("Unit"), filters=STRIP, validators=[Optional(), Length(max=rules.MAX_UNIT, message=TOO_LONG)],
                       description=_l("Shown with the value, e.g. “pupils” or “€ per inhabitant”."))
    decimals = IntegerField(_l("Decimals"), default=0, validators=[
        InputRequired(_l("Enter a number of decimals.")),
        NumberRange(min=0, max=rules.MAX_DECIMALS, message=_l("Choose a number from %(min)d to %(max)d."))],
        description=_l("How many decimals the dossier shows, e.g. 2 for amounts of money."),
        render_kw={"inputmode": "numeric", "min": 0, "max": rules.MAX_DECIMALS})
    description = TextAreaField(_l("Description"), filters=STRIP, validators=[
        Optional(), Length(max=rules.MAX_DESCRIPTION, message=TOO_LONG)],
        description=_l("What the figure counts and where it comes from."), render_kw={"rows": 3})
    position = IntegerField(_l("Order"), default=0, validators=[
        InputRequired(_l("Enter a number.")),
        NumberRange(min=0, max=rules.MAX_POSITION, message=_l("Choose a number from %(min)d to %(max)d."))],
        description=_l("Dossiers list the kinds of figures from low to high."),
        render_kw={"inputmode": "numeric", "min": 0})


class FiguresUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a file."))],
                     description=_l("Columns municipality_code, figure, year, value, source; at most %(lines)d lines "
                                    "and %(mb)d MB.", lines=rules.MAX_LINES, mb=rules.MAX_BYTES // (1024 * 1024)),
                     render_kw={"accept": ".csv,text/csv"})
