"""The debate module's blueprints; the views modules add their routes to them.

- ``debates``: the public agenda, debate pages, registration and cancellation, party invitations, the venue
  offer form (``agenda_views``, ``registration_views``, ``invitation_views``, ``venue_offer_views``)
- ``debates_admin``: scheduling, review and publication, slot suggestions, invitations, registrations and
  check-in, venues, for the campaign team and coordinators (``backoffice/``)
- ``debates_api``: ``/api/v1/debates`` (``api``), JSON only, exempt from CSRF like the Cultuurwijzer API
"""

from flask import Blueprint

debates = Blueprint("debates", __name__, url_prefix="/debatten")
debates_admin = Blueprint("debates_admin", __name__, url_prefix="/beheer/debatten")
debates_api = Blueprint("debates_api", __name__, url_prefix="/api/v1")


def register(app) -> None:
    from campaign.debates.labels import answer_label, kind_label, status_label
    from campaign.debates.scheduling import debate_when

    # What the public pages and the back office both say of a debate.
    app.jinja_env.globals.update(debate_when=debate_when, debate_kind_label=kind_label,
                                 debate_status_label=status_label, debate_answer_label=answer_label)
    from campaign.debates import agenda_views, api, invitation_views, registration_views, venue_offer_views  # noqa: F401
    from campaign.debates.backoffice import (  # noqa: F401
        debate_views,
        invitation_views as invitation_admin_views,
        registration_views as registration_admin_views,
        slot_views,
        venue_views,
    )
    from campaign.extensions import csrf

    for blueprint in (debates, debates_admin, debates_api):
        app.register_blueprint(blueprint)
    csrf.exempt(debates_api)
