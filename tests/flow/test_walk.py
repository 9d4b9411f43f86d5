"""The model-only walk that `kiosk demo` and the core tests use: it does what it is asked."""

import math
import random

import pytest

from kiosk.flow.results import PageResult, SignatureResult
from kiosk.flow.signature import check_ink
from kiosk.flow.steps import DoneStep, InfoStep, ReviewStep
from kiosk.flow.walk import PAD_HEIGHT, PAD_WIDTH, handwriting, walk_session
from tests.flow.sample import START, fixed_clock

STAMP_TEXT = START.isoformat()
INK = (((100.0, 100.0), (700.0, 200.0)),)


def walk(pack, **kw):
    return walk_session(pack, name=kw.pop("name", "Ada Lovelace"), clock=fixed_clock, rng=random.Random(3), **kw)


class Edge(random.Random):
    """An rng whose every uniform() gives one end of its range: the extreme hands."""

    def __init__(self, end):
        super().__init__(0)
        self.end = end

    def uniform(self, a, b):
        return (a, b)[self.end]


# ----- handwriting -------------------------------------------------------------------------------
def test_the_default_hand_is_always_the_same():
    assert handwriting() == handwriting()


def test_the_default_hand_is_a_wavy_line_and_an_underline():
    line, underline = handwriting()
    assert line[0] == (120.0, 200.0) and line[-1][0] == pytest.approx(1080.0)  # from 10% to 90% across
    assert underline == ((240.0, 320.0), (840.0, 312.0))
    ys = [y for _, y in line]
    assert min(ys) < 150 and max(ys) > 250  # it swings well above and below the middle


def test_the_default_hand_scales_with_the_pad():
    small = handwriting(600.0, 200.0)
    assert small[1] == ((120.0, 160.0), (420.0, 156.0))
    assert small[0][0] == (60.0, 100.0)


@pytest.mark.parametrize("rng", [None, random.Random(1), random.Random(2), Edge(0), Edge(1)],
                         ids=["default", "seed 1", "seed 2", "low end", "high end"])
def test_every_hand_is_a_signature_inside_the_pad(rng):
    strokes = handwriting(rng=rng)
    assert check_ink(strokes, PAD_WIDTH) is None
    points = [p for s in strokes for p in s]
    assert all(0 <= x <= PAD_WIDTH and 0 <= y <= PAD_HEIGHT for x, y in points)


@pytest.mark.parametrize("end, first_x, last_x, under_y", [(0, 0.06, 0.61, 0.78), (1, 0.2, 1.0, 0.9)])
def test_the_hands_range_from_small_to_large(end, first_x, last_x, under_y):
    line, underline = handwriting(rng=Edge(end))
    assert line[0][0] == pytest.approx(first_x * PAD_WIDTH) and line[-1][0] == pytest.approx(last_x * PAD_WIDTH)
    assert underline[0] == pytest.approx(((first_x + 0.1) * PAD_WIDTH, under_y * PAD_HEIGHT))


@pytest.mark.parametrize("rng", [None, random.Random(4), Edge(0), Edge(1)], ids=["default", "seed 4", "low end",
                                                                              "high end"])
def test_the_hand_moves_in_small_steps_like_a_pen(rng):
    """One continuous line, not points scattered up and down the pad."""
    line, _ = handwriting(rng=rng)
    assert max(math.dist(a, b) for a, b in zip(line, line[1:])) < 0.01 * PAD_WIDTH


def test_each_rng_gives_another_hand():
    hands = {handwriting(rng=random.Random(seed)) for seed in range(5)}
    assert len(hands) == 5 and handwriting() not in hands


def test_a_seeded_hand_is_reproducible():
    assert handwriting(rng=random.Random(9)) == handwriting(rng=random.Random(9))


# ----- the walk ----------------------------------------------------------------------------------
def test_the_walk_ends_at_done(real_pack):
    assert isinstance(walk(real_pack).current, DoneStep)


def test_the_walk_records_who_the_patient_is(real_pack):
    results = walk(real_pack, name="Ada Lovelace", birth_date="1940-01-02").results
    assert (results.get("signer").role, results.get("patient_name").full_name,
            results.get("birth_date").date_of_birth) == ("patient", "Ada Lovelace", "1940-01-02")
    assert results.get("representative_name") is None and results.get("relationship") is None


def test_the_walk_has_a_patient_born_in_1948_unless_told(real_pack):
    assert walk(real_pack).results.get("birth_date").date_of_birth == "1948-03-07"


def test_a_representative_is_a_son_or_daughter_unless_told(real_pack):
    assert walk(real_pack, representative="Tom Lovelace").results.get("relationship").relationship == "Son or daughter"


def test_the_walk_records_the_representative(real_pack):
    results = walk(real_pack, representative="Tom Lovelace", relationship="Carer").results
    assert (results.get("signer").role, results.get("representative_name").full_name,
            results.get("relationship").relationship) == ("representative", "Tom Lovelace", "Carer")


@pytest.mark.parametrize("representative, role", [(None, "patient"), ("Tom Lovelace", "representative")])
def test_the_walk_confirms_every_statement_shown_to_the_signer(real_pack, representative, role):
    confirmed = walk(real_pack, representative=representative).results.get("statements").confirmed
    assert confirmed == tuple((s.id, STAMP_TEXT) for s in real_pack.statements_for(role))


def test_the_walk_leaves_the_statements_it_is_told_to(real_pack):
    left = (real_pack.statements[0].id, real_pack.statements[-1].id)
    confirmed = walk(real_pack, outcome="declined", unconfirmed=left).results.get("statements").confirmed
    assert [sid for sid, _ in confirmed] == [s.id for s in real_pack.statements_for("patient") if s.id not in left]


@pytest.mark.parametrize("outcome", ["questions", "declined"])
def test_the_walk_says_yes_on_the_decision_check(real_pack, outcome):
    session = walk(real_pack, outcome=outcome)
    assert isinstance(session.current, DoneStep)
    assert "decision_check" not in session.results.by_step  # the check stores nothing


@pytest.mark.parametrize("outcome", ["consented", "questions", "declined"])
def test_the_walk_takes_the_decision(real_pack, outcome):
    assert walk(real_pack, outcome=outcome).results.get("decision").outcome == outcome


def test_the_walk_signs_with_the_default_hand(real_pack):
    assert walk(real_pack).results.get("signature") == SignatureResult(handwriting(), 1200.0, 400.0, STAMP_TEXT)


def test_the_walk_signs_with_the_hand_given(real_pack):
    assert walk(real_pack, signature=INK).results.get("signature").strokes == INK


@pytest.mark.parametrize("outcome", ["questions", "declined"])
def test_only_consent_is_signed(real_pack, outcome):
    assert walk(real_pack, outcome=outcome).results.get("signature") is None


def test_every_page_is_seen_and_tell_me_more_opened_as_asked(real_pack):
    last = len(real_pack.pages)
    results = walk(real_pack, more_opened=(2, last)).results
    pages = [results.get(f"info.{p.id}") for p in real_pack.pages]
    assert [p.seen_at for p in pages] == [STAMP_TEXT] * last
    assert [n for n, p in enumerate(pages, start=1) if p.more_opened] == [2, last]


def test_a_page_shown_again_after_a_wrong_answer_is_seen_without_more(real_pack):
    results = walk(real_pack, wrong_once=("q_treats",), more_opened=range(1, 17)).results
    assert results.get("review.q_treats") == PageResult(STAMP_TEXT, False)


@pytest.mark.parametrize("kw, correct", [
    ({}, [True]), ({"wrong_once": ("q_leak",)}, [False, True]), ({"wrong_twice": ("q_leak",)}, [False, False]),
])
def test_the_walk_answers_as_asked(real_pack, kw, correct):
    question = real_pack.question("q_leak")
    wrong = next(c.id for c in question.choices if c.id != question.correct)  # the first wrong choice
    attempts = walk(real_pack, **kw).results.get("quiz.q_leak").attempts
    assert [(a.choice, a.correct) for a in attempts] == [(question.correct if ok else wrong, ok) for ok in correct]


def test_a_wrong_answer_shows_the_explaining_page_again(real_pack):
    results = walk(real_pack, wrong_once=("q_leak",)).results
    assert isinstance(results.get("review.q_leak"), PageResult) and results.get("review.q_treats") is None


def test_the_walk_calls_for_help_where_asked(real_pack):
    session = walk(real_pack, help_at=("birth_date", "info.risks_leak"))
    assert [(h.step_id, h.at) for h in session.help_requests] == \
        [("birth_date", STAMP_TEXT), ("info.risks_leak", STAMP_TEXT)]


@pytest.mark.parametrize("abandon_at", ["signer", "birth_date", "info.day_room", "quiz.q_leak", "signature"])
def test_the_walk_stops_where_the_patient_walks_away(real_pack, abandon_at):
    session = walk(real_pack, abandon_at=abandon_at)
    assert session.current.id == abandon_at and session.results.get(abandon_at) is None


def test_a_walk_abandoned_after_a_step_keeps_what_came_before(real_pack):
    results = walk(real_pack, abandon_at="info.day_room").results
    assert isinstance(results.get("info.before_anaesthesia"), PageResult)
    assert results.get("info.day_cement") is None


def test_the_walk_uses_the_session_id_given(real_pack):
    assert walk(real_pack, session_id="doc-1").id == "doc-1"


def shown_orders(pack, seed):
    results = walk_session(pack, name="A", clock=fixed_clock, rng=random.Random(seed)).results
    return [results.get(f"quiz.{q.id}").shown_order for q in pack.questions]


def test_the_walk_shuffles_with_the_rng_given(real_pack):
    assert shown_orders(real_pack, 5) == shown_orders(real_pack, 5)  # 8 shuffles alike: the same rng
    assert len({tuple(shown_orders(real_pack, seed)) for seed in range(4)}) == 4


@pytest.mark.parametrize("outcome", ["consented", "questions", "declined"])
def test_page_results_are_left_only_on_education_and_review_pages(real_pack, outcome):
    session = walk(real_pack, wrong_once=("q_leak",), outcome=outcome)
    pages = {sid: r for sid, r in session.results.by_step.items() if isinstance(r, PageResult)}
    steps = {sid: session.task.step(sid) for sid in pages}
    assert all(isinstance(s, (InfoStep, ReviewStep)) for s in steps.values())
    assert len(pages) == len(real_pack.pages) + 1
