"""Forms of the party invitations: the organiser's invite form and the party's answer (the boundary for HTML
input; the rules are in ``invitations.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from campaign.core.errors import MAX_EMAIL
from campaign.core.forms import choices
from campaign.core.i18n import LANGUAGE_NAMES
from campaign.debates.invitations import MAX_MESSAGE, MAX_PARTY, MAX_ROLE, MAX_SPEAKER


class InviteForm(FlaskForm):
    # Set by a suggestion's button: a party of the municipality's Cultuurwijzer edition.
    party_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    party_name = StringField(_l("Party"), validators=[Optional(), Length(max=MAX_PARTY)],
                             description=_l("At a mayors' debate: the mayor and the municipality."))
    contact_email = EmailField(_l("Email address"), validators=[Optional(), Length(max=MAX_EMAIL)],
                               description=_l("Where the invitation with the personal link goes."))
    language = SelectField(_l("Language of the mail"), choices=choices(LANGUAGE_NAMES.items()), default="nl")


class AnswerForm(FlaskForm):
    status = RadioField(_l("Does your party take part?"),
                        validators=[InputRequired(_l("Choose whether your party takes part."))],
                        choices=choices([("confirmed", _l("Yes, our party takes part")),
                                         ("declined", _l("No, our party does not take part"))]))
    speaker_name = StringField(_l("Speaker"), validators=[Optional(), Length(max=MAX_SPEAKER)],
                               description=_l("Who speaks for your party; shown on the public debate page."))
    speaker_role = StringField(_l("Role"), validators=[Optional(), Length(max=MAX_ROLE)],
                               description=_l("For example: lead candidate, council member."))
    message = TextAreaField(_l("Message to the organiser"), validators=[Optional(), Length(max=MAX_MESSAGE)],
                            description=_l("Optional; only the organisers read it."))
