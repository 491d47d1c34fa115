"""Who may open the local figures and answer statistics routes (picked up by tests/core/test_access_matrix.py).

The citizen's share (``cultuurwijzer.share_answers``) is public and outside /beheer: tests/lobby/test_share_answers.py.
"""

ACCESS = {
    "lobby.statistics": "editor",
    "lobby.statistics_csv": "editor",
    "lobby.figures": "editor",
    "lobby.import_figures": "editor",
    "lobby.figures_example": "editor",
    "lobby.new_figure_kind": "editor",
    "lobby.edit_figure_kind": "editor",
}


def _figure_kind(db_session) -> int:
    from campaign.lobby.defaults import ensure_defaults
    from campaign.lobby.models import FigureKind

    ensure_defaults()
    db_session.commit()
    return db_session.query(FigureKind).order_by(FigureKind.position).first().id


URL_VALUES = {"kind_id": _figure_kind}
