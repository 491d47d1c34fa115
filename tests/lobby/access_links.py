"""Who may use the routes linking topics to statements and debates (see tests/core/test_access_matrix.py). Their
URLs take ``topic_id`` (tests/lobby/access_topics.py: a topic linked to ``muziekles``), ``key`` (the matrix:
``muziekles`` under /stellingen/) and ``debate_id`` (tests/debates/access_scheduling.py)."""

ACCESS = {
    "lobby.topic_statements": "editor",
    "lobby.unlink_statement": "editor",
    "lobby.topic_positions": "editor",
    "lobby.topic_positions_csv": "editor",
    "lobby.topic_debates": "editor",
    "lobby.unlink_debate": "editor",
}
