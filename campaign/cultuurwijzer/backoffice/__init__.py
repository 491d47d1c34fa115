"""The Cultuurwijzer back office (editors): editions, statements, parties, review, quality check, transfer.

One blueprint, its views split by subject over the modules imported below. Every view is thin: parse the
form, check access (``role_required``), call one domain function, commit once, render or redirect.
"""

from flask import Blueprint

bp = Blueprint("cw_admin", __name__, url_prefix="/beheer/cultuurwijzer")

from campaign.cultuurwijzer.backoffice import edition_views, quality_views, transfer_views  # noqa: E402,F401
