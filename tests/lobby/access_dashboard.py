"""Who may open the lobby dashboard and dossier routes (picked up by tests/core/test_access_matrix.py)."""

ACCESS = {
    "lobby.dashboard": "editor",
}
