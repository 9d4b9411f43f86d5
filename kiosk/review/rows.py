"""What the nurse pages show, as typed frozen rows: one consent's detail and its history.

Every code comes with its display text beside it (``Coded``), and every "who" is the name
from the accounts table: actors are stored as "nurse:<id>" (``kiosk.store.nurses.actor_for``);
entries written before that hold a display name, which is shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.review.codes import Coded, coded
from kiosk.review.context import ReviewContext
from kiosk.review.texts import NurseTexts
from kiosk.store import StoreError, get_consent
from kiosk.store.audit import ACTIONS, audit_history
from kiosk.store.nurses import actor_names


class ReviewError(Exception):
    """An action was refused or did not happen; ``str(error)`` is a kind message for the nurse.
    Nothing was changed when it is raised."""


def through_store(store_call, *args, **kwargs):
    """``store_call(*args, **kwargs)``, its refusal (``StoreError``: a rule the store checks
    again inside its transaction, or a write that failed) raised as a ReviewError."""
    try:
        return store_call(*args, **kwargs)
    except StoreError as error:
        raise ReviewError(str(error)) from None


@dataclass(frozen=True)
class ConsentDetail:
    """One consent as the consent page shows it."""

    document_id: str
    patient_name: str
    date_of_birth: str
    outcome: Coded
    review_state: Coded
    void: bool
    void_reason: str | None
    mrn: str | None
    identity_checked_by: str | None  # the nurse's name
    identity_checked_at: str | None
    countersigned_by: str | None  # the clinician's name
    countersigned_role: str | None
    countersigned_at: str | None
    pdf_path: Path | None  # None for an abandoned session
    countersigned_pdf_path: Path | None
    misunderstood: tuple[str, ...]  # the prompts of the questions answered wrong twice
    help_calls: int
    has_questions: bool
    flags: tuple[Coded, ...]  # what to notice: "misunderstood", "help", "questions", with words
    # Per configured target (central database, FHIR, HL7): "sent", "waiting" or "failed", with
    # words and the reason; empty when the kiosk keeps everything to itself.
    deliveries: tuple[Coded, ...] = ()
    kiosk_id: str = ""  # the kiosk that took it, at a central station; "" on a kiosk's own

    @property
    def shown_pdf(self) -> Path | None:
        """The PDF to show and print: the countersigned one once there is one."""
        return self.countersigned_pdf_path or self.pdf_path

    @property
    def can_check_identity(self) -> bool:
        return not self.void

    @property
    def can_countersign(self) -> bool:
        return self.outcome.code == "consented" and not self.void and self.countersigned_pdf_path is None

    @property
    def can_void(self) -> bool:
        return not self.void

    @property
    def can_print(self) -> bool:
        return self.pdf_path is not None


@dataclass(frozen=True)
class HistoryLine:
    """One audit entry about a consent: when, who (a name), the action's code and its text."""

    at: str
    actor: str
    action: str
    text: str


def names_of(ctx: ReviewContext) -> dict[str, str]:
    """actor -> name for every account ("nurse:<id>" -> "Nora Nurse")."""
    return actor_names(ctx.db)


def shown_actor(actor: str | None, names: dict[str, str], texts: NurseTexts) -> str | None:
    """The name to show for a stored actor: the account's name, or an old entry's own name."""
    if actor is None:
        return None
    return names.get(actor, actor) or texts("history.unknown_actor")


def read_row(ctx: ReviewContext, document_id: str) -> dict:
    """The store's row of a consent, or ReviewError when there is no such consent. At a
    central station, the central database's row in the same shape (``kiosk.review.central``)."""
    if ctx.central is not None:
        from kiosk.review import central

        return central.read_row(ctx, document_id)
    row = get_consent(ctx.db, document_id)
    if row is None:
        raise ReviewError(ctx.texts("message.no_such_consent"))
    return row


def consent_detail(ctx: ReviewContext, document_id: str) -> ConsentDetail:
    """The consent's detail, read now (nothing is written: ``view`` records the viewing)."""
    return detail_of(ctx, read_row(ctx, document_id))


def detail_of(ctx: ReviewContext, row: dict) -> ConsentDetail:
    texts, names = ctx.texts, names_of(ctx)
    record = row["record"]
    patient = record.get("patient") or {}
    misunderstood = tuple(a.get("prompt") or a.get("question_id") or ""
                          for a in record.get("answers", ()) if a.get("status") == "needs_doctor")
    calls = len(record.get("help_requests") or ())
    flags = [Coded("misunderstood", texts("flag.misunderstood", prompt=p)) for p in misunderstood]
    if calls:
        flags.append(Coded("help", texts("flag.help_calls_one") if calls == 1
                                 else texts("flag.help_calls_many", count=calls)))
    has_questions = row["outcome"] == "questions"
    if has_questions:
        flags.append(Coded("questions", texts("flag.questions")))
    void = bool(row.get("void"))
    return ConsentDetail(
        document_id=row["document_id"],
        patient_name=patient.get("full_name") or row.get("patient_name") or "",
        date_of_birth=patient.get("date_of_birth") or row.get("patient_dob") or "",
        outcome=coded(texts, "outcome", row["outcome"]),
        review_state=coded(texts, "review_state", "void" if void else row.get("review_state")),
        void=void,
        void_reason=row.get("void_reason"),
        mrn=row.get("mrn"),
        identity_checked_by=row.get("identity_checked_by_shown") or shown_actor(row.get("identity_checked_by"),
                                                                                names, texts),
        identity_checked_at=row.get("identity_checked_at"),
        countersigned_by=row.get("countersigned_by"),
        countersigned_role=row.get("countersigned_role"),
        countersigned_at=row.get("countersigned_at"),
        pdf_path=Path(row["pdf_path"]) if row.get("pdf_path") else None,
        countersigned_pdf_path=Path(row["countersigned_pdf_path"]) if row.get("countersigned_pdf_path") else None,
        misunderstood=misunderstood,
        help_calls=calls,
        has_questions=has_questions,
        flags=tuple(flags),
        # at a central station the consent is at the central database: this computer's outbox knows nothing of it
        deliveries=() if ctx.central is not None else deliveries_of(ctx, row["document_id"]),
        kiosk_id=row.get("kiosk_id") or "",
    )


def deliveries_of(ctx: ReviewContext, document_id: str) -> tuple[Coded, ...]:
    """Where the consent has been sent, as the outbox knows it: one line per target."""
    from kiosk.outbox.config import target_names
    from kiosk.store.outbox import consent_deliveries

    names = target_names(ctx.settings)
    if not names:
        return ()
    t = ctx.texts
    lines = []
    for name, (state, reason) in through_store(consent_deliveries, ctx.db, document_id, names).items():
        target = t(f"consent_page.delivery_{name}")
        if state == "sent":
            text = t("consent_page.delivery_sent", target=target)
        elif state == "skipped":
            text = t("consent_page.delivery_sample", target=target)
        elif state == "failed":
            text = t("consent_page.delivery_failed", target=target, reason=reason or "")
        elif reason:
            text = t("consent_page.delivery_waiting_reason", target=target, reason=reason)
        else:
            text = t("consent_page.delivery_waiting", target=target)
        lines.append(Coded(state, text))
    return tuple(lines)


def history(ctx: ReviewContext, document_id: str) -> list[HistoryLine]:
    """Every audit entry about the consent, oldest first, in words (never raw action names);
    at a central station, every review event of every kiosk and station about it."""
    if ctx.central is not None:
        from kiosk.review import central

        return central.history(ctx, document_id)
    names = names_of(ctx)
    return [HistoryLine(at=entry["at"], actor=shown_actor(entry["actor"], names, ctx.texts),
                        action=entry["action"], text=history_text(ctx.texts, entry["action"], entry["detail"]))
            for entry in audit_history(ctx.db, document_id)]


# Actions whose line says more when its detail has these fields.
_DETAILED = {"identity_checked": ("identity_checked_mrn", ("mrn",)),
             "countersigned": ("countersigned_by", ("clinician", "role")),
             "voided": ("voided_reason", ("reason",))}


def history_text(texts: NurseTexts, action: str, detail: dict) -> str:
    """An audit action in words, with what its detail adds (the MRN, the clinician, the reason)."""
    detailed = _DETAILED.get(action)
    if detailed and all(detail.get(k) for k in detailed[1]):
        return texts(f"history.{detailed[0]}", **{k: detail[k] for k in detailed[1]})
    key = f"history.{action}"
    return texts(key) if texts.has(key) else texts("history.other")


KNOWN_ACTIONS = ACTIONS  # every action the kiosk writes has its words (tests/review/test_texts.py)
