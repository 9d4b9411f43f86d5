"""The outcomes are defined once (kiosk/outcomes.py) and every layer reads that definition: the
journey's decisions, the store's validation, the review layer's codes, the PDF's colours and
words, the demo's mix. The review layer is the one place that may see all of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kiosk.outcomes as outcomes
from kiosk.demo import OUTCOME_WEIGHTS
from kiosk.documents import DEFAULT_LABELS
from kiosk.documents.blocks import OUTCOME_COLOURS
from kiosk.flow.record import derive_flags
from kiosk.flow.results import OUTCOMES as DECISIONS, DecisionResult
from kiosk.review import codes
from kiosk.store import consents as store
from kiosk.store.queue import QueueFilter
from kiosk.review.texts import load_texts

KIOSK = Path(outcomes.__file__).parent
TEXTS = load_texts("en")
WORDS = {"consented", "questions", "declined", "abandoned"}


def test_the_store_and_the_review_layer_use_the_one_definition():
    assert store.OUTCOMES is outcomes.OUTCOMES and codes.OUTCOMES is outcomes.OUTCOMES
    assert outcomes.OUTCOMES == ("consented", "questions", "declined", "abandoned")  # the stored codes


def test_the_patient_decides_between_the_three_decisions_and_never_abandoned():
    assert DECISIONS == outcomes.DECISIONS == outcomes.OUTCOMES[:3]
    DecisionResult(outcomes.QUESTIONS)
    with pytest.raises(ValueError, match="abandoned"):
        DecisionResult(outcomes.ABANDONED)


@pytest.mark.parametrize("keyed", [OUTCOME_COLOURS, OUTCOME_WEIGHTS], ids=["pdf colours", "demo weights"])
def test_every_outcome_has_exactly_one_entry(keyed):
    assert list(keyed) == list(outcomes.OUTCOMES)


@pytest.mark.parametrize("outcome", outcomes.OUTCOMES)
def test_every_outcome_has_words_on_the_pdf_and_at_the_station(outcome):
    assert DEFAULT_LABELS[f"outcome_{outcome}"]
    assert codes.coded(TEXTS, "outcome", outcome).text != outcome


def test_an_unknown_outcome_is_refused_by_the_store_filter():
    with pytest.raises(ValueError):
        QueueFilter(outcome="maybe")


@pytest.mark.parametrize("outcome, flag", [("consented", []), ("questions", ["questions_for_doctor"]),
                                           ("declined", ["declined"]), ("abandoned", [])])
def test_the_flag_each_outcome_gives_the_record(outcome, flag):
    record = {"answers": [], "help_requests": [], "outcome": outcome}
    assert derive_flags(record) == flag


def test_the_definition_imports_nothing_so_every_layer_may_read_it():
    tree = ast.parse(Path(outcomes.__file__).read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def _literal_lists_of_outcomes(path: Path) -> list[int]:
    """Lines where a tuple, list, set or dict literal names three or more outcomes by their code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)) and items:
            named = {item.value for item in items if isinstance(item, ast.Constant) and item.value in WORDS}
            if len(named) >= 3:
                found.append(node.lineno)
    return found


def test_no_core_module_writes_the_list_of_outcomes_again():
    """kiosk/ui is the Qt shell, read by the review layer's codes (its own pages are its own)."""
    again = {str(path.relative_to(KIOSK)): lines for path in sorted(KIOSK.rglob("*.py"))
             if "ui" not in path.relative_to(KIOSK).parts and path.name != "outcomes.py"
             and (lines := _literal_lists_of_outcomes(path))}
    assert again == {}
