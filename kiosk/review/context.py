"""What a nurse page may use: the nurse-side twin of the patient pages' ``PageContext``.

A page gets one frozen ``ReviewContext`` when a nurse signs in (a new one for the next nurse:
nothing of the previous nurse's travels with it) and passes it to the review functions; it
never reaches into the station window for the database, the nurse or the clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.review.texts import NurseTexts, load_texts
from kiosk.settings import Settings
from kiosk.store.nurses import actor_for

if TYPE_CHECKING:
    from kiosk.review.central import CentralLink


@dataclass(frozen=True)
class Account:
    """The signed-in nurse: their account id, name, and whether they are an administrator."""

    id: int
    name: str
    is_admin: bool

    @property
    def actor(self) -> str:
        """How this account is written as "who did it" ("nurse:<id>"; see ``actor_for``)."""
        return actor_for(self.id)

    @classmethod
    def from_nurse(cls, nurse: Mapping) -> Account:
        """From a ``kiosk.store.nurses`` account dict (``SignIn.nurse``, ``list_nurses``)."""
        return cls(id=int(nurse["id"]), name=str(nurse["name"]), is_admin=bool(nurse["is_admin"]))


@dataclass(frozen=True)
class StationContext:
    """What the station knows before a nurse signs in: enough to list the accounts, check a
    PIN and set up the first administrator. Nothing in it belongs to a nurse;
    ``kiosk.review.session.sign_in_as`` turns it into that nurse's ``ReviewContext``. The
    database connection is used only on the thread that opened it."""

    db: object
    settings: Settings
    data_dir: Path
    now: Callable[[], datetime]
    pdf_labels: Mapping[str, str] | None = None
    texts: NurseTexts = field(default_factory=load_texts)

    @property
    def database_file(self) -> Path:
        """The database's file: a worker opens its own connection to it (``write_export``)."""
        from kiosk.store.database import database_file

        return Path(database_file(self.db))


@dataclass(frozen=True, kw_only=True)
class ReviewContext(StationContext):
    """Everything the review functions read: the station's context (the database connection,
    the settings, the data folder, the clock - ``now`` returns a timezone-aware datetime - the
    consent PDF's labels in the content's language, the nurse station's texts) and the
    signed-in account; ``central``, for a station pointed at the central database
    (``kiosk nurse --central``), its ``kiosk.review.central.CentralLink``: the queue, the
    consents and the actions are then the central database's, sign-in and accounts stay here."""

    account: Account
    central: CentralLink | None = None

    def at(self) -> str:
        """Now as the store keeps times: ISO 8601 with the UTC offset."""
        return self.now().isoformat()

    @cached_property
    def mrn_pattern(self) -> re.Pattern:
        """The ``mrn_pattern`` setting, compiled (checked when the settings were loaded)."""
        return re.compile(self.settings.mrn_pattern)

    @property
    def consents_dir(self) -> Path:
        return self.settings.consents_path(self.data_dir)


def with_central(ctx: ReviewContext, link: CentralLink | None) -> ReviewContext:
    """The nurse's context pointed at the central database (``link``); as it is for None."""
    from dataclasses import replace

    return ctx if link is None else replace(ctx, central=link)


def discard_views(ctx: ReviewContext | None) -> None:
    """The consent page closed or the nurse signed out: a central station's viewing copies
    of the PDFs are removed (``CentralLink.discard_views``); nothing to do on a kiosk's own."""
    if ctx is not None and ctx.central is not None:
        ctx.central.discard_views()
