"""Signing in and out of the nurse station: a sign-in gives the frozen ``ReviewContext`` that
the nurse pages use until sign-out (a new one for each nurse, so nothing of the previous
nurse's carries over). No Qt here.

Threading: call from the thread that opened ``db``. ``sign_in`` checks the PIN (Argon2, about
0.1 s); ``sign_out`` takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.review.context import Account, ReviewContext, StationContext
from kiosk.review.rows import ReviewError
from kiosk.review.texts import NurseTexts, load_texts
from kiosk.settings import Settings
from kiosk.store import StoreError
from kiosk.store import nurses as store_nurses
from kiosk.store.audit import audit


@dataclass(frozen=True)
class SignInResult:
    """``context`` when the PIN was right; otherwise ``message`` says why not, kindly."""

    context: ReviewContext | None
    message: str


def sign_in(db, nurse_id: int | None, pin: str, *, settings: Settings, data_dir: Path,
            now: Callable[[], datetime], pdf_labels: Mapping[str, str] | None = None,
            texts: NurseTexts | None = None) -> SignInResult:
    """Check the PIN of account ``nurse_id`` (every attempt audited by the store; five wrong
    in a row lock it for five minutes) and, if right, the context of the signed-in nurse.
    ReviewError if the account was removed meanwhile."""
    texts = texts or load_texts(settings.staff_language)
    if nurse_id is None:
        return SignInResult(None, texts("message.choose_name"))
    try:
        result = store_nurses.sign_in(db, nurse_id, pin, now=now())
    except StoreError as error:
        raise ReviewError(str(error)) from None
    if result.ok:
        context = ReviewContext(db=db, settings=settings, data_dir=Path(data_dir),
                                account=Account.from_nurse(result.nurse), now=now, pdf_labels=pdf_labels,
                                texts=texts)
        return SignInResult(context, "")
    if result.locked_until is not None:
        return SignInResult(None, texts("message.pin_locked", time=result.locked_until.strftime("%H:%M")))
    return SignInResult(None, texts("message.pin_wrong", left=result.attempts_left))


def sign_out(ctx: ReviewContext) -> None:
    """Audit the sign-out (``sign_out``) as the account. The caller then drops ``ctx`` and
    every view made with it."""
    audit(ctx.db, actor=ctx.account.actor, action="sign_out", at=ctx.at())


# ----- before anyone signs in -------------------------------------------------------------------


def station_context(db, *, settings: Settings, data_dir: Path, now: Callable[[], datetime],
                    pdf_labels: Mapping[str, str] | None = None, language: str | None = None) -> StationContext:
    """The station's context, with the nurse texts in `language`: the nurse's, chosen at
    sign-in, or else the hospital's working language (`staff_language`)."""
    return StationContext(db=db, settings=settings, data_dir=Path(data_dir), now=now, pdf_labels=pdf_labels,
                          texts=load_texts(language or settings.staff_language))


def sign_in_as(station: StationContext, nurse_id: int | None, pin: str) -> SignInResult:
    """``sign_in`` with what the station knows."""
    return sign_in(station.db, nurse_id, pin, settings=station.settings, data_dir=station.data_dir,
                   now=station.now, pdf_labels=station.pdf_labels, texts=station.texts)


def accounts_to_sign_in(station: StationContext) -> list[Account]:
    """The active accounts, sorted by name, for the name buttons of the sign-in page."""
    return [Account.from_nurse(nurse) for nurse in store_nurses.list_nurses(station.db)]


def needs_first_administrator(station: StationContext) -> bool:
    """True when there is no administrator yet: the station asks for one before anything."""
    return not store_nurses.has_admin(station.db)


def create_first_administrator(station: StationContext, name: str, pin: str) -> ReviewContext:
    """Set up the first administrator (only while there is none) and sign them in.
    ReviewError with a kind message if the name or PIN will not do."""
    if not needs_first_administrator(station):
        raise ReviewError(station.texts("message.only_admin"))
    try:
        nurse_id = store_nurses.create_nurse(station.db, name=name, pin=pin, is_admin=True, by=None)
    except StoreError as error:
        raise ReviewError(str(error)) from None
    nurse = next(n for n in store_nurses.list_nurses(station.db) if n["id"] == nurse_id)
    return ReviewContext(db=station.db, settings=station.settings, data_dir=station.data_dir,
                         account=Account.from_nurse(nurse), now=station.now, pdf_labels=station.pdf_labels,
                         texts=station.texts)


def holds_sample_data(station: StationContext) -> bool:
    """True for a data folder made by ``kiosk demo`` (training data; the station says so)."""
    from kiosk.store.samples import holds_samples

    try:
        return holds_samples(station.db)
    except StoreError:
        return False  # the queue says what is wrong with the database
