"""A patient's whole journey through the real window, as reusable steps for the UI tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.decision_check import DecisionCheckPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.identity import BirthDatePage, NamePage, RelationshipPage, SignerPage
from kiosk.ui.pages.questions import QuestionPage
from tests.ui.conftest import draw_signature, enter_date, page, tap, type_on_keyboard


@dataclass
class Patient:
    name: str = "Margaret Obrien"
    dob: tuple[str, str, str] = ("07", "03", "1948")
    representative: str | None = None
    relationship: str = "son_daughter"
    wrong_once: set[str] = field(default_factory=set)   # question ids answered wrong, then right
    wrong_twice: set[str] = field(default_factory=set)  # question ids answered wrong twice
    outcome: str = "consented"


def start(window):
    tap(window.welcome.start_button)


def enter_identity(window, patient: Patient):
    signer = page(window)
    assert isinstance(signer, SignerPage)
    tap(signer.choices["representative" if patient.representative else "patient"])
    name_page = page(window)
    assert isinstance(name_page, NamePage)
    type_on_keyboard(name_page.keyboard, patient.name)
    tap(name_page.next_button)
    dob_page = page(window)
    assert isinstance(dob_page, BirthDatePage), dob_page
    enter_date(dob_page.pad, *patient.dob)
    tap(dob_page.next_button)
    if patient.representative:
        rep_page = page(window)
        assert isinstance(rep_page, NamePage)
        type_on_keyboard(rep_page.keyboard, patient.representative)
        tap(rep_page.next_button)
        relation = page(window)
        assert isinstance(relation, RelationshipPage)
        tap(relation.choices[patient.relationship])


def read_education(window, *, open_more_on_first=True):
    first = True
    while isinstance(page(window), InfoPage):
        current = page(window)
        if first and open_more_on_first and current.more_button is not None:
            tap(current.more_button)
        first = False
        tap(current.next_button)


def answer_questions(window, patient: Patient, pack, reviewed: list | None = None):
    while isinstance(page(window), QuestionPage):
        q_page = page(window)
        q = pack.question(q_page.question.id)
        wrong = next(c.id for c in q.choices if c.id != q.correct)
        if q.id in patient.wrong_once or q.id in patient.wrong_twice:
            tap(q_page.choices[wrong])
            assert q_page.feedback_picture.isVisible(), "a wrong answer shows the picture that explains it"
            assert q_page.feedback_picture.name == pack.page(q.explained_by).illustration
            tap(q_page.next_button)            # "Show me again"
            review = page(window)
            assert isinstance(review, InfoPage) and review.review, "a wrong answer must lead to its page"
            assert review.step.page_id == q.explained_by
            if reviewed is not None:
                reviewed.append(review.step.page_id)
            tap(review.next_button)            # "Back to the question"
            assert page(window) is q_page
            tap(q_page.choices[wrong if q.id in patient.wrong_twice else q.correct])
        else:
            tap(q_page.choices[q.correct])
        tap(q_page.next_button)


def to_the_statements(window, pack, patient: Patient) -> StatementsPage:
    """From Welcome to the statements: identity, every page, every question."""
    start(window)
    enter_identity(window, patient)
    read_education(window)
    answer_questions(window, patient, pack)
    statements = page(window)
    assert isinstance(statements, StatementsPage)
    return statements


def decide(window, patient: Patient, qtbot=None):
    """Tick every statement and choose; "questions" and "declined" are then confirmed with
    "Yes, that is right" once the check takes taps (`qtbot` waits for that)."""
    statements = page(window)
    assert isinstance(statements, StatementsPage)
    for tick in statements.ticks.values():
        tap(tick)
    tap(statements.next_button)
    choose(window, patient.outcome)
    if patient.outcome != "consented":
        confirm(window, qtbot)


def choose(window, outcome: str):
    decision = page(window)
    assert isinstance(decision, DecisionPage)
    tap(decision.options[outcome])


def confirm(window, qtbot, answer: str = "yes"):
    """Tap "Yes, that is right" (or "No, go back") on the check, calmly: `tap` moves the
    window's tap clock past the moment the check ignores taps, instead of waiting it out."""
    check = page(window)
    assert isinstance(check, DecisionCheckPage), check
    tap(check.yes_button if answer == "yes" else check.no_button)


def sign(window):
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    draw_signature(signature.pad)
    tap(signature.next_button)


def walk(window, patient: Patient, pack, qtbot=None):
    """From Welcome to the Done screen (`qtbot` is needed for "questions" and "declined")."""
    start(window)
    enter_identity(window, patient)
    read_education(window)
    answer_questions(window, patient, pack)
    decide(window, patient, qtbot)
    if patient.outcome == "consented":
        sign(window)
