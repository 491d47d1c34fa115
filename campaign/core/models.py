"""The data spine every module hangs off: Election -> Municipality."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db


# CBS municipality code as published: "GM" + four digits, e.g. GM0344.
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")


class Election(db.Model):
    __tablename__ = "election"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date]

    def __repr__(self) -> str:
        return f"<Election {self.slug}>"


class Municipality(db.Model):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    province: Mapped[str] = mapped_column(String(60))

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"
