"""The campaign team's back office for coordinators; routes live on ``blueprints.co_admin``."""
