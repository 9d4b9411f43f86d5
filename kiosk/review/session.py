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

from kiosk.review.context import Account, ReviewContext
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
    texts = texts or load_texts(settings.default_language)
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
