"""The lobby module's blueprint; the views modules add their routes to it.

``lobby`` (prefix ``/beheer/lobby``) is for the lobby team (role editor, and admins): the dashboard
(``backoffice/dashboard_views``), topics and the status workflow (``backoffice/topic_views``), parties and the
input given to them (``backoffice/input_views``), links to statements and debates (``backoffice/link_views``),
the dossier per municipality (``backoffice/dossier_views``), local figures and the answer statistics
(``backoffice/figure_views``, ``backoffice/statistics_views``).

The citizen's opt-in to share answers is a Cultuurwijzer route (``campaign/cultuurwijzer/views.py``).
"""

from flask import Blueprint

lobby = Blueprint("lobby", __name__, url_prefix="/beheer/lobby")


def register(app) -> None:
    from campaign.lobby.labels import template_globals

    app.jinja_env.globals.update(template_globals())
    from campaign.lobby.backoffice import (  # noqa: F401
        dashboard_views,
        dossier_views,
        figure_views,
        input_views,
        link_views,
        statistics_views,
        topic_views,
    )

    app.register_blueprint(lobby)
