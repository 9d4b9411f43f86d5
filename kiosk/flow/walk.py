"""A patient's walk through the consent task on the model alone, exactly as the window would
drive it: results set step by step, questions shuffled by the session's own rng, wrong
answers followed by the page that explains them, help called, the session abandoned.

Used by `kiosk demo` (sample consents for training) and by the core tests and benchmarks
(`tests/flow/sample.py:complete_session`). No Qt here.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection

from kiosk.flow.clock import Clock
from kiosk.flow.results import (
    BirthDateResult,
    DecisionResult,
    NameResult,
    PageResult,
    RelationshipResult,
    SignatureResult,
    SignerResult,
    StatementsResult,
)
from kiosk.flow.session import Session
from kiosk.flow.signature import smooth_stroke
from kiosk.flow.steps import DoneStep, InfoStep, QuestionStep
from kiosk.flow.task import (
    BIRTH_DATE,
    DECISION,
    DECISION_CHECK,
    PATIENT_NAME,
    RELATIONSHIP,
    REPRESENTATIVE_NAME,
    SIGNATURE,
    SIGNER,
    STATEMENTS,
    build_consent_task,
)

PAD_WIDTH, PAD_HEIGHT = 1200.0, 400.0


def handwriting(width: float = PAD_WIDTH, height: float = PAD_HEIGHT, *, rng: random.Random | None = None):
    """A plausible signature in pad units: one long wavy stroke and an underline.

    Without `rng` it is always the same; with one, each call gives another hand (slant,
    rhythm, size and where the underline goes vary)."""
    if rng is None:
        wave, beat, swing, start, span, lift = 6, 17, 0.3, 0.1, 0.8, 0.0
    else:
        wave, beat, swing = rng.uniform(4.0, 9.0), rng.uniform(11.0, 23.0), rng.uniform(0.18, 0.34)
        start, span, lift = rng.uniform(0.06, 0.2), rng.uniform(0.55, 0.8), rng.uniform(-0.08, 0.08)
    points = [(width * (start + span * i / 120),
               height * (0.5 + lift * i / 120 + swing * math.sin(i / wave) * math.cos(i / beat)))
              for i in range(121)]
    if rng is None:
        underline = [(width * 0.2, height * 0.8), (width * 0.7, height * 0.78)]
    else:
        under_y = rng.uniform(0.78, 0.9)
        underline = [(width * (start + 0.1), height * under_y),
                     (width * (start + span - 0.15), height * (under_y - rng.uniform(0.0, 0.05)))]
    return (smooth_stroke(points), smooth_stroke(underline))


def walk_session(pack, *, name: str, clock: Clock, rng: random.Random, outcome: str = "consented",
                 representative: str | None = None, relationship: str = "Son or daughter",
                 birth_date: str = "1948-03-07", wrong_once: Collection[str] = (),
                 wrong_twice: Collection[str] = (), more_opened: Collection[int] = (1,),
                 help_at: Collection[str] = (), abandon_at: str | None = None,
                 unconfirmed: Collection[str] = (), signature=None, session_id: str | None = None) -> Session:
    """Walk the task from Welcome to Done (or to `abandon_at`) as the window would; the session.

    - `name`, `birth_date` ("YYYY-MM-DD"): the patient; `representative` (a name) and
      `relationship` (as shown, e.g. "Son or daughter") when someone signs for them.
    - `outcome`: the decision, "consented", "questions" or "declined"; only "consented"
      signs, with `signature` (strokes in a 1200x400 pad; default `handwriting()`). The other
      two are confirmed on the check that follows ("You chose ... Is that right?": Yes).
    - the statements shown to the signer (`pack.statements_for(role)`) are all confirmed,
      but for the ids in `unconfirmed` (for "questions" or "declined": a consent needs them
      all).
    - `wrong_once`: question ids answered wrong first, then right after the page is shown
      again ("understood after review"); `wrong_twice`: wrong both times ("needs the
      doctor's attention").
    - `more_opened`: education page numbers (1-based) whose "Tell me more" was opened.
    - `help_at`: step ids on which the patient presses "Call a nurse" (in
      `session.help_requests`; storing them is the caller's business, as in the kiosk).
    - `abandon_at`: the step id at which the patient walks away: the walk stops there,
      nothing of that step is answered; save it with outcome="abandoned".
    - `clock` gives every time stamp; `rng` shuffles the answers (the session's own rng);
      `session_id` the document id (default: a new UUID4).
    """
    session = Session(build_consent_task(pack), clock=clock, rng=rng, session_id=session_id)
    role = "representative" if representative else "patient"
    step = session.current
    while step is not None and not isinstance(step, DoneStep):
        if step.id == abandon_at:
            return session
        if step.id in help_at:
            session.request_help()
        if step.id == SIGNER:
            result = SignerResult(role)
        elif step.id == PATIENT_NAME:
            result = NameResult(name)
        elif step.id == BIRTH_DATE:
            result = BirthDateResult(birth_date)
        elif step.id == REPRESENTATIVE_NAME:
            result = NameResult(representative or "")
        elif step.id == RELATIONSHIP:
            result = RelationshipResult(relationship)
        elif step.id == STATEMENTS:
            result = StatementsResult(tuple((s.id, session.now()) for s in pack.statements_for(role)
                                            if s.id not in unconfirmed))
        elif step.id == DECISION:
            result = DecisionResult(outcome)
        elif step.id == DECISION_CHECK:
            result = None  # "Yes, that is right": the page stores nothing, the task goes on to Done
        elif step.id == SIGNATURE:
            result = SignatureResult(signature or handwriting(), PAD_WIDTH, PAD_HEIGHT, session.now())
        elif isinstance(step, QuestionStep):
            _answer(session, pack, step, wrong_once, wrong_twice)
            result = None
        else:  # an education page, or one shown again after a wrong answer
            result = PageResult(session.now(), isinstance(step, InfoStep) and step.number in more_opened)
        if result is not None:
            session.set_result(step.id, result)
        step = session.advance()
    return session


def _answer(session: Session, pack, step: QuestionStep, wrong_once, wrong_twice) -> None:
    question = pack.question(step.question_id)
    session.shown_order(step, tuple(c.id for c in question.choices))
    wrong = next(c.id for c in question.choices if c.id != question.correct)
    attempts = len(session.results.get(step.id).attempts)
    bad = question.id in wrong_twice or (question.id in wrong_once and attempts == 0)
    session.answer(step, wrong if bad else question.correct, not bad)
