"""The coordinator module's blueprints; the views modules add their routes to them.

- ``coordinators``: public recruitment pages and the application form (``public_views``)
- ``support``: the public knowledge base and question form (``support_views``)
- ``co_admin``: the campaign team's back office (``backoffice/``)
- ``workspace``: the signed-in coordinator's own pages (``workspace_views``, ``workspace_training_views``)
"""

from flask import Blueprint

coordinators = Blueprint("coordinators", __name__, url_prefix="/coordinatoren")
support = Blueprint("support", __name__)
co_admin = Blueprint("co_admin", __name__, url_prefix="/beheer/coordinatoren")
workspace = Blueprint("workspace", __name__, url_prefix="/werkplek")


def register(app) -> None:
    from campaign.coordinators import labels as _labels  # noqa: F401
    from campaign.coordinators.pipeline import status_label
    from campaign.coordinators.training import session_when

    app.jinja_env.globals["application_status_label"] = status_label
    # "Tuesday, February 10, 2026, 7:30 PM – 9:30 PM" in templates (the reader's language, Dutch time).
    app.jinja_env.globals["training_when"] = session_when
    from campaign.coordinators import public_views, support_views, workspace_training_views, workspace_views  # noqa: F401
    from campaign.coordinators.backoffice import (  # noqa: F401
        coverage_views,
        pipeline_views,
        privacy_views,
        support_admin_views,
        training_views,
    )

    for blueprint in (coordinators, support, co_admin, workspace):
        app.register_blueprint(blueprint)
