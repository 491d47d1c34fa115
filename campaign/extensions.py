"""Extension objects, created unbound and bound in create_app (the Flask factory pattern)."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()


def _client_address() -> str:
    from flask_limiter.util import get_remote_address

    return get_remote_address()


# Sign-in for staff (admin, editor, coordinator); party representatives use personal links instead.
login = LoginManager()
login.login_view = "auth.login_page"
login.session_protection = "basic"
# Storage comes from RATELIMIT_STORAGE_URI: memory:// by default, redis://… in production.
limiter = Limiter(key_func=_client_address)
