"""The comprehension questions check understanding: guessing cannot pass them.

A patient who knows nothing may still beat a quiz with two tricks: pick the longest answer,
or rule out the ones that say "never", "always" or "no risk". Each strategy is played here
against the English quiz with ties broken against the guesser, and must score at most half.
The wrong choices must be things a patient could well believe: no absolute words, and about
as long as the right one.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from kiosk.content import Choice, Question
from kiosk.content.structure import QUESTION_TOPICS

ABSOLUTE = re.compile(
    r"\b(never|always|nothing|no one|nobody|none|cannot|can't|impossible|certainly|certain|"
    r"guaranteed?|everyone|everybody|completely|totally|forever|at all|no risks?|every time|"
    r"100 ?%)\b", re.IGNORECASE)
MIN_LENGTH_RATIO = 0.6  # the shortest choice is at least this share of the longest


def is_absolute(choice: Choice) -> bool:
    return bool(ABSOLUTE.search(choice.text))


def _worst_pick(question: Question, candidates: list[Choice]) -> Choice:
    """Ties broken against the guesser: a wrong candidate if there is one."""
    return next((c for c in candidates if c.id != question.correct), candidates[0])


def pick_the_longest(question: Question) -> Choice:
    longest = max(len(c.text) for c in question.choices)
    return _worst_pick(question, [c for c in question.choices if len(c.text) == longest])


def never_pick_an_absolute(question: Question) -> Choice:
    plain = [c for c in question.choices if not is_absolute(c)]
    return _worst_pick(question, plain or list(question.choices))


def rule_out_absolutes_then_pick_the_longest(question: Question) -> Choice:
    plain = [c for c in question.choices if not is_absolute(c)] or list(question.choices)
    longest = max(len(c.text) for c in plain)
    return _worst_pick(question, [c for c in plain if len(c.text) == longest])


STRATEGIES = [pick_the_longest, never_pick_an_absolute, rule_out_absolutes_then_pick_the_longest]


def score(strategy, questions) -> Fraction:
    return Fraction(sum(strategy(q).id == q.correct for q in questions), len(questions))


def right_is_longest(question: Question) -> bool:
    right = next(c for c in question.choices if c.id == question.correct)
    return len(right.text) == max(len(c.text) for c in question.choices)


def test_the_right_answer_is_the_longest_in_at_most_a_third_of_the_questions(real_pack):
    share = Fraction(sum(map(right_is_longest, real_pack.questions)), len(real_pack.questions))
    print(f"\nright answer is the longest choice in {share} of the questions")
    assert share <= Fraction(1, 3)


@pytest.mark.parametrize("strategy", STRATEGIES, ids=lambda s: s.__name__)
def test_a_guessing_strategy_scores_at_most_half(real_pack, strategy):
    result = score(strategy, real_pack.questions)
    print(f"\n{strategy.__name__}: {result} of the questions right")
    assert result <= Fraction(1, 2)


# The old quiz, in miniature: the right answer the longest, the wrong ones absolute.
GUESSABLE = [
    Question("q1", "?", (Choice("a", "There is no risk at all from the cement."),
                         Choice("b", "It can never move."),
                         Choice("c", "It can leak out of the bone, or travel to the lungs in the veins.")),
             "c", "", "p", ()),
    Question("q2", "?", (Choice("a", "Nothing. The needle cannot harm anything."),
                         Choice("b", "The needle could hurt a lung, a muscle or a nerve near the spine."),
                         Choice("c", "My eyesight always gets worse.")), "b", "", "p", ()),
]


@pytest.mark.parametrize("strategy", STRATEGIES, ids=lambda s: s.__name__)
def test_the_strategies_do_beat_a_guessable_quiz(strategy):
    assert score(strategy, GUESSABLE) == 1


def test_no_wrong_choice_uses_an_absolute_word(real_pack):
    absolute = {(q.id, c.id): c.text for q in real_pack.questions for c in q.choices
                if c.id != q.correct and is_absolute(c)}
    assert absolute == {}


def test_the_choices_of_each_question_are_of_similar_length(real_pack):
    uneven = {}
    for question in real_pack.questions:
        lengths = [len(c.text) for c in question.choices]
        if min(lengths) < MIN_LENGTH_RATIO * max(lengths):
            uneven[question.id] = lengths
    assert uneven == {}


def test_every_topic_is_checked_by_a_question(real_pack):
    covered = {topic for q in real_pack.questions for topic in q.topics}
    assert set(QUESTION_TOPICS) - covered == set()


def test_every_question_names_its_topics(real_pack):
    assert [q.id for q in real_pack.questions if not q.topics] == []


def test_at_least_ten_questions_and_three_situations(real_pack):
    assert len(real_pack.questions) >= 10
    assert sum(q.situation for q in real_pack.questions) >= 3


def test_every_risk_is_checked_and_every_question_explained(real_pack):
    checked = {r for q in real_pack.questions for r in q.risk_ids}
    assert checked == {r.id for r in real_pack.risks}
    pages = {p.id for p in real_pack.pages}
    assert all(q.explained_by in pages and q.explanation.strip() for q in real_pack.questions)


def test_the_right_answer_is_in_every_place(real_pack):
    assert {q.correct for q in real_pack.questions} == {"a", "b", "c"}
