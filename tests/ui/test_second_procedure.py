"""Adding a procedure is adding files: a second, minimal pack written to a temporary folder (its
own pages, questions, key pictures, signature meaning and journey shape) runs a whole journey
in the real window and makes its consent PDF, with no change to the code."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.content.interface_text import DEFAULT_TRANSLATIONS_DIR
from kiosk.content.pack import DEFAULT_ASSETS_DIR
from kiosk.store import get_consent, list_consents
from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
from kiosk.ui.pages.education import InfoPage
from kiosk.ui.pages.ending import DonePage
from kiosk.ui.pages.identity import BirthDatePage, NamePage, SignerPage
from kiosk.ui.pages.questions import QuestionPage
from tests.ui.conftest import draw_signature, enter_date, page, tap, type_on_keyboard

STRUCTURE = """\
id = "knee_injection"
version = "0.1.0"
key_pictures = ["needle_side"]
question_topics = ["what_it_is", "risk"]
statement_topics = ["understanding"]

[journey]
questions = "after_each_section"
representative = false

[[sections]]
id = "what"
pages = ["what_it_is"]

[[sections]]
id = "risk"
pages = ["the_risk"]

[[pages]]
id = "what_it_is"
illustration = "needle_side"

[[pages]]
id = "the_risk"
illustration = "spine_side"

[[risks]]
id = "infection"
page = "the_risk"

[[questions]]
id = "q_what"
explained_by = "what_it_is"
choices = ["a", "b", "c"]
correct = "a"
topics = ["what_it_is"]

[[questions]]
id = "q_risk"
explained_by = "the_risk"
risks = ["infection"]
choices = ["a", "b", "c"]
correct = "b"
topics = ["risk"]

[[statements]]
id = "understand"
topics = ["understanding"]
"""

TEXT = """\
[translation]
status = "source"

[meta]
title = "A steroid injection into the knee"
procedure = "a steroid injection into the knee joint"
disclaimer = "This is general information. Your doctor will talk with you first."

[ui]
welcome_title = "Getting ready for your knee injection"
welcome_body = "This screen explains the injection, step by step."

[pdf]
default_signature_meaning = "consent to a steroid injection into the knee joint"

[sections.what]
title = "The injection"

[sections.risk]
title = "The risk"

[pages.what_it_is]
title = "What the injection is"
body = "A doctor puts medicine into your knee with a thin needle."

[pages.the_risk]
title = "A small risk"
body = "The knee can get infected. This is rare."

[risks.infection]
name = "Infection"
summary = "The knee can get infected."

[questions.q_what]
prompt = "What goes into the knee?"
explanation = "Medicine goes into the knee through a thin needle."

[questions.q_what.choices]
a = "Medicine, through a thin needle"
b = "Bone cement, through a tube"
c = "A small metal pin, in a cut"

[questions.q_risk]
prompt = "What can happen, though rarely?"
explanation = "The knee can get infected, but this is rare."

[questions.q_risk.choices]
a = "The knee bends the wrong way"
b = "The knee can get infected"
c = "The leg gets a little longer"

[statements.understand]
text = "I understand what the knee injection is and its risk."
representative = "I understand what the knee injection is and its risk for the patient."
"""


@pytest.fixture
def knee(tmp_path, monkeypatch):
    """The shipped English ui.toml and nurse.toml, plus the new procedure's two files."""
    assets, translations = tmp_path / "assets", tmp_path / "translations"
    (assets / "content").mkdir(parents=True)
    (assets / "content" / "knee_injection.toml").write_text(STRUCTURE, encoding="utf-8")
    (assets / "illustrations").symlink_to(DEFAULT_ASSETS_DIR / "illustrations")  # pictures are shared
    (translations / "en").mkdir(parents=True)
    for name in ("ui.toml", "nurse.toml"):
        shutil.copy(DEFAULT_TRANSLATIONS_DIR / "en" / name, translations / "en" / name)
    english = (DEFAULT_TRANSLATIONS_DIR / "en" / "vertebroplasty.toml").read_text(encoding="utf-8")
    labels = "\n".join(english[english.index(f"[labels.{n}]"):].split("\n\n")[0] for n in ("needle_side", "spine_side"))
    ui_extra = '[ui]\nanimation_replay_unused = "x"\n'  # the procedure may add [ui] words of its own
    (translations / "en" / "knee_injection.toml").write_text(
        TEXT.replace("[ui]\n", ui_extra) + "\n" + labels + "\n", encoding="utf-8")
    import kiosk.content.interface_text as interface_text
    import kiosk.content.pack as pack

    monkeypatch.setattr(interface_text, "DEFAULT_TRANSLATIONS_DIR", translations)
    monkeypatch.setattr(pack, "DEFAULT_TRANSLATIONS_DIR", translations)
    monkeypatch.setattr(pack, "DEFAULT_ASSETS_DIR", assets)
    return tmp_path


def test_a_journey_and_a_pdf_through_a_second_procedure(knee, make_window, tmp_path):
    from kiosk.content import load_pack

    pack = load_pack("en", procedure="knee_injection")
    assert pack.id == "knee_injection" and pack.key_pictures == ("needle_side",)
    window = make_window(procedure="knee_injection", default_language="en")
    assert window.welcome.title.text() == "Getting ready for your knee injection"
    assert list(window.welcome.language_buttons) == ["en"]  # only English has this procedure
    tap(window.welcome.start_button)

    assert not isinstance(page(window), SignerPage), "no representative: straight to the name"
    name = page(window)
    assert isinstance(name, NamePage)
    type_on_keyboard(name.keyboard, "Ann Lee")
    tap(name.next_button)
    dob = page(window)
    assert isinstance(dob, BirthDatePage)
    enter_date(dob.pad, "01", "02", "1950")
    tap(dob.next_button)

    shown = []
    while not isinstance(page(window), StatementsPage):
        current = page(window)
        if isinstance(current, InfoPage):
            shown.append(("page", current.step.page_id))
            tap(current.next_button)
        else:
            assert isinstance(current, QuestionPage)
            shown.append(("question", current.question.id))
            tap(current.choices[current.question.correct])
            tap(current.next_button)
    # the journey's shape is the pack's: each question after the section that explains it
    assert shown == [("page", "what_it_is"), ("question", "q_what"), ("page", "the_risk"), ("question", "q_risk")]

    statements = page(window)
    for tick in statements.ticks.values():
        tap(tick)
    tap(statements.next_button)
    decision = page(window)
    assert isinstance(decision, DecisionPage)
    tap(decision.options["consented"])
    signature = page(window)
    assert isinstance(signature, SignaturePage)
    assert "a steroid injection into the knee joint" in signature.meaning.text()
    draw_signature(signature.pad)
    tap(signature.next_button)
    assert isinstance(page(window), DonePage)
    QApplication.processEvents()

    [row] = list_consents(window.db_for_tests)
    consent = get_consent(window.db_for_tests, row["document_id"])
    record = consent["record"]
    assert record["content"]["id"] == "knee_injection" and record["content"]["key_pictures"] == ["needle_side"]
    assert record["signature"]["meaning"].endswith("a steroid injection into the knee joint")
    text = subprocess.run(["pdftotext", "-layout", consent["pdf_path"], "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "A steroid injection into the knee" in flat
    assert "What the injection is" in flat  # the key picture's caption
    assert "vertebroplasty" not in flat.lower(), "nothing of the first procedure"
