"""Every back-office route × every kind of visitor: allowed, or refused with 403 / a sign-in redirect.

The table below says, per endpoint, who may use it. A new back-office route that is missing from it makes
``test_every_back_office_route_is_in_the_table`` fail, so nobody adds one without deciding its access.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.helpers import csrf_token

# Who may use each endpoint: "public" (anyone), "staff" (coordinator and up), "editor", "admin".
ACCESS = {
    "auth.login_page": "public",
    "auth.logout": "public",
    "auth.forgot_password": "public",
    "auth.reset_password": "public",
    "auth.home": "staff",
    "auth.users": "admin",
    "auth.new_user": "admin",
    "auth.edit_user": "admin",
    "auth.send_password_link": "admin",
}
# The coordinator and debate modules keep their parts of the table beside their tests: tests/<module>/access_*.py,
# each with ACCESS (endpoint -> who) and URL_VALUES (URL parameter -> function(db_session) making a real object).
PARTS = [importlib.import_module(f"tests.{module}.{path.stem}")
         for module in ("coordinators", "debates", "lobby")
         for path in sorted((Path(__file__).resolve().parent.parent / module).glob("access_*.py"))]
ROLE_RANK = {"anonymous": 0, "party": 0, "coordinator": 1, "editor": 2, "admin": 3}
NEEDED_RANK = {"public": 0, "staff": 1, "editor": 2, "admin": 3}
VISITORS = list(ROLE_RANK)


def back_office_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith(("/beheer", "/werkplek"))),
                  key=lambda r: r.endpoint)


def access_of(endpoint: str) -> str | None:
    if endpoint in ACCESS:
        return ACCESS[endpoint]
    for part in PARTS:
        if endpoint in part.ACCESS:
            return part.ACCESS[endpoint]
    if endpoint.startswith("cw_admin."):
        return "editor"  # the whole Cultuurwijzer back office is the editorial team's
    return None


def cases():
    from tests.conftest import make_app

    app = make_app("sqlite://")
    for rule in back_office_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for visitor in VISITORS:
                yield pytest.param(rule.endpoint, rule.rule, method, visitor, id=f"{method} {rule.rule} {visitor}")


def test_every_back_office_route_is_in_the_table(app):
    unclassified = [r.endpoint for r in back_office_rules(app) if access_of(r.endpoint) is None]
    assert unclassified == []
    assert len(back_office_rules(app)) >= 25


def url_values(rule: str, edition, target_user_id: int, db_session) -> dict:
    values = {}
    for part in PARTS:
        for name, make in getattr(part, "URL_VALUES", {}).items():
            if name not in values and (f"<{name}>" in rule or f"<int:{name}>" in rule):
                values[name] = make(db_session)
    if "<edition_id>" in rule:
        values["edition_id"] = edition.id
    if "<key>" in rule:
        values["key"] = "muziekles" if "/stellingen/" in rule else "alfa"
    if "<int:user_id>" in rule:
        values["user_id"] = target_user_id
    if "<token>" in rule:
        values["token"] = "not-a-real-token"
    return values


@pytest.mark.parametrize("endpoint, rule, method, visitor", list(cases()))
def test_access(client, users, open_edition, party_links, db_session, endpoint, rule, method, visitor):
    target = users.create("editor", password=None)
    if visitor == "party":
        assert client.get(f"/partij/{party_links['alfa']}").status_code == 200  # has used its own link
    elif visitor != "anonymous":
        users.login(client, users.create(visitor, password=None))

    path = rule
    for name, value in url_values(rule, open_edition, target.id, db_session).items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    if method == "GET":
        response = client.get(path)
    else:
        token = csrf_token(client, "/beheer/inloggen")
        response = client.post(path, data={"csrf_token": token})

    allowed = ROLE_RANK[visitor] >= NEEDED_RANK[access_of(endpoint)]
    sign_in_redirect = response.status_code == 302 and response.location.startswith("/beheer/inloggen")
    if allowed:
        assert response.status_code not in (401, 403, 500) and not (sign_in_redirect and endpoint != "auth.logout"), \
            response.status_code
    elif visitor in ("anonymous", "party"):
        assert sign_in_redirect, (response.status_code, response.location)
    else:
        assert response.status_code == 403
