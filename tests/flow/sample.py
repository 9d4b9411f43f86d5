"""A complete session built on the model alone (no Qt), for core tests and benchmarks."""

from __future__ import annotations

import math
import random
from datetime import datetime, timezone

from kiosk.flow import Session, build_consent_task
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
from kiosk.flow.signature import smooth_stroke
from kiosk.flow.steps import InfoStep, QuestionStep


def fixed_clock():
    return datetime(2026, 11, 25, 14, 0, 5, tzinfo=timezone.utc)


def handwriting(width=1200.0, height=400.0):
    points = [(width * (0.1 + 0.8 * i / 120), height * (0.5 + 0.3 * math.sin(i / 6) * math.cos(i / 17)))
              for i in range(121)]
    return (smooth_stroke(points), smooth_stroke([(width * 0.2, height * 0.8), (width * 0.7, height * 0.78)]))


def complete_session(pack, *, name="Margaret Obrien", outcome="consented", representative=None,
                     wrong_once=(), wrong_twice=(), seed=1) -> Session:
    """Walk the task from start to Done exactly as the window would, on the model alone."""
    session = Session(build_consent_task(pack), clock=fixed_clock, rng=random.Random(seed))
    session.set_result("signer", SignerResult("representative" if representative else "patient"))
    session.advance()
    session.set_result("patient_name", NameResult(name))
    session.advance()
    session.set_result("birth_date", BirthDateResult("1948-03-07"))
    step = session.advance()
    if representative:
        session.set_result(step.id, NameResult(representative))
        step = session.advance()
        session.set_result(step.id, RelationshipResult("Son or daughter"))
        step = session.advance()
    while step is not None and step.id != "statements":
        if isinstance(step, QuestionStep):
            q = pack.question(step.question_id)
            session.shown_order(step, tuple(c.id for c in q.choices))
            wrong = next(c.id for c in q.choices if c.id != q.correct)
            attempts = len(session.results.get(step.id).attempts)
            bad = q.id in wrong_twice or (q.id in wrong_once and attempts == 0)
            session.answer(step, wrong if bad else q.correct, not bad)
        else:
            session.set_result(step.id, PageResult(session.now(), isinstance(step, InfoStep) and step.number == 1))
        step = session.advance()
    session.set_result("statements", StatementsResult(tuple((s.id, session.now()) for s in pack.statements)))
    session.advance()
    session.set_result("decision", DecisionResult(outcome))
    step = session.advance()
    if outcome == "consented":
        session.set_result("signature", SignatureResult(handwriting(), 1200.0, 400.0, session.now()))
        session.advance()
    return session
