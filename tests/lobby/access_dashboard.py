"""Who may open the lobby dashboard and dossier routes (picked up by tests/core/test_access_matrix.py). The
dossier routes take ``code``, defined by tests/coordinators/access_pipeline.py (GM0344, Utrecht)."""

ACCESS = {
    "lobby.dashboard": "editor",
    "lobby.dossiers": "editor",
    "lobby.dossier": "editor",
    "lobby.dossier_json": "editor",
}
