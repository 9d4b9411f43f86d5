"""A record a reviewer reads at a glance (issue 9): the first page tells what a flagged patient
got wrong, every statement is shown confirmed or not, the right answers are marked, no heading
ends a page, the PDF is dated by the record, every time names its zone, counts are in the
singular or plural as they should be, an unsigned record says who decided, and the content's
approval is printed."""

import re
from datetime import datetime

import pytest
from consent_records import HOSPITAL, RECORDS, RISKS, STATEMENTS, at, build_form, build_record, consent_pdf

from kiosk.documents import DEFAULT_LABELS, render_blank_form
from kiosk.documents.layout import keep_headings_with_next
from kiosk.documents.page import BOTTOM_MARGIN, TOP_MARGIN

render = consent_pdf
SIOBHAN = {"full_name": "Siobhan O'Brien", "relationship": "daughter"}


def flat(text: str) -> str:
    return " ".join(text.split())


def first_page(read, record) -> str:
    return flat(read.pages(render(record))[0])


# ----- the first page ----------------------------------------------------------------------------
def flagged_record() -> dict:
    """Two questions wrong twice, one wrong once, two help requests, two statements left."""
    return build_record("questions", statuses={"q_leak": "needs_doctor", "q_awake": "needs_doctor",
                                               "q_cause": "understood_after_review"},
                        help_requests=[{"at": at(6), "step_id": "info.risks_leak"},
                                       {"at": at(12, 30), "step_id": "statements"}], confirmed=2)


@pytest.mark.parametrize("expected", [
    "Not signed: questions for the doctor first",
    "Chosen by Margaret O'Brien, the patient",
    # each question wrong twice: its number and prompt, both tries, and the right answer
    "⚠ needs the doctor's attention: 2. What is the most common risk? "
    "✗ Try 1: Losing the use of your legs ✗ Try 2: Losing the use of your legs "
    "✓ The right answer: Cement leaking out of the bone",
    "⚠ needs the doctor's attention: 3. Will you be asleep? ✗ Try 1: Yes, always ✗ Try 2: Yes, always "
    "✓ The right answer: Usually no: you are awake, with the area numbed",
    # wrong once, right after the page was shown again
    "Understood after the page was shown again: 1. What does vertebroplasty treat? "
    "✗ Try 1: It cures osteoporosis ✓ Try 2: The pain of a broken bone in the spine",
    "⚠ Asked for help 2 times 2026-11-25 14:06:00 +00:00 Europe/London: Cement leaking out of the bone "
    "2026-11-25 14:12:30 +00:00 Europe/London: Statements",
    "Statements not confirmed: 2 of 4",
])
def test_first_page_tells_what_the_patient_got_wrong(read, expected):
    assert expected in first_page(read, flagged_record())


def test_first_page_shows_every_flag_before_anything_else(read):
    record = flagged_record()
    assert record["flags"] == ["needs_doctor:q_leak", "needs_doctor:q_awake", "help_requested", "questions_for_doctor"]
    page = first_page(read, record)
    shown = {"needs_doctor:q_leak": "2. What is the most common risk?", "needs_doctor:q_awake": "3. Will you be asleep?",
             "help_requested": "Asked for help 2 times", "questions_for_doctor": DEFAULT_LABELS["outcome_questions"]}
    for flag in record["flags"]:
        assert page.index(shown[flag]) < page.index(DEFAULT_LABELS["section_patient"]), flag


def test_questions_wrong_twice_come_before_those_understood_later(read):
    page = first_page(read, flagged_record())
    assert page.index("2. What is the most common risk?") < page.index("1. What does vertebroplasty treat?")


def test_a_flag_the_summary_does_not_know_is_still_printed(read):
    record = build_record()
    record["flags"].append("seen_by_a_later_kiosk")
    assert "seen_by_a_later_kiosk" in first_page(read, record)


@pytest.mark.parametrize("kind", ["consented", "representative"])
def test_nothing_to_notice_on_a_clean_consent(read, kind):
    page = first_page(read, RECORDS[kind]())
    assert "Try 1" not in page and "needs the doctor's attention" not in page and "Asked for help" not in page
    assert "Statements not confirmed" not in page


# ----- statements --------------------------------------------------------------------------------
def test_unconfirmed_statements_are_shown_as_not_confirmed(read):
    text = read.text(render(build_record("declined", confirmed=1)))
    statements = text[text.index(STATEMENTS[0][1]):text.index(DEFAULT_LABELS["section_signature"])]
    assert f"{STATEMENTS[0][1]} confirmed 2026-11-25 14:12:00 +00:00 Europe/London" in statements
    for _, statement in STATEMENTS[1:]:
        assert f"{statement} not confirmed" in statements
    assert statements.count("not confirmed") == len(STATEMENTS) - 1


def test_a_record_without_unconfirmed_statements_says_none_is_missing(read):
    assert " not confirmed" not in read.text(render(RECORDS["consented"]()))


# ----- the right answers -------------------------------------------------------------------------
@pytest.mark.parametrize("expected", [
    "The pain of a broken bone in the spine (the right answer; chosen at try 2)",
    "It cures osteoporosis (chosen at try 1)",
    "Cement leaking out of the bone (the right answer)",  # never chosen: wrong twice
    "Losing the use of your legs (chosen at try 1; chosen at try 2)",
    "Usually no: you are awake, with the area numbed (the right answer)",
])
def test_choices_mark_the_right_answer_and_the_patients(read, expected):
    text = read.text(render(flagged_record()))
    questions = text[text.index(DEFAULT_LABELS["section_questions"]):]
    assert expected in questions


def test_a_choice_not_chosen_has_no_note(read):
    text = read.text(render(flagged_record()))
    assert "A slipped disc" in text and "A slipped disc (" not in text


def test_choices_are_marked_with_their_signs(read):
    text = read.poppler(render(flagged_record()))
    assert "✓ The pain of a broken bone in the spine (the right answer" in flat(text)
    assert "✗ It cures osteoporosis (chosen at try 1)" in flat(text)
    assert "• A slipped disc" in flat(text)


def test_the_blank_form_marks_no_answer(read):
    text = read.text(render_blank_form(build_form(), hospital_name=HOSPITAL))
    assert DEFAULT_LABELS["choice_right"] not in text and "chosen at try" not in text


# ----- who decided -------------------------------------------------------------------------------
@pytest.mark.parametrize("outcome, representative, expected", [
    ("declined", None, "Declined by Margaret O'Brien, the patient"),
    ("declined", SIOBHAN, "Declined by Siobhan O'Brien, the patient's representative (daughter)"),
    ("questions", None, "Chosen by Margaret O'Brien, the patient"),
    ("questions", SIOBHAN, "Chosen by Siobhan O'Brien, the patient's representative (daughter)"),
    ("consented", SIOBHAN, "Signed by Siobhan O'Brien, the patient's representative (daughter)"),
])
def test_the_record_says_who_decided(read, outcome, representative, expected):
    record = build_record(outcome, representative=representative)
    text = read.text(render(record))
    assert expected in first_page(read, record)
    if outcome != "consented":  # and again where a signature would be
        signature = text[text.index(DEFAULT_LABELS["section_signature"]):text.index(DEFAULT_LABELS["section_about"])]
        assert f"{DEFAULT_LABELS['not_signed']} {expected}" in signature


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_no_record_says_the_patient_signs_for_themselves(read, kind):
    assert "signs for themselves" not in read.text(render(RECORDS[kind]()))


def test_a_patient_deciding_alone_has_no_representative(read):
    assert "Representative None: the patient decides for themselves" in read.text(render(RECORDS["declined"]()))


def test_an_abandoned_record_names_no_decider(read):
    text = read.text(render(RECORDS["abandoned"]()))
    assert not re.search(r"(Declined|Chosen|Signed) by", text)


# ----- counts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("count, expected", [(1, "Asked for help 1 time "), (2, "Asked for help 2 times "),
                                             (3, "Asked for help 3 times ")])
def test_help_requests_are_counted_in_good_english(read, count, expected):
    requests = [{"at": at(3 + n), "step_id": "info.fracture_what"} for n in range(count)]
    text = read.text(render(build_record(help_requests=requests)))
    assert text.count(expected) == 2  # on the first page and in "About this document"
    assert "time(s)" not in text and "1 times" not in text


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_no_count_is_printed_with_a_bracketed_plural(read, kind):
    assert not re.search(r"\w\(s\)", read.text(render(RECORDS[kind]())))


# ----- times and dates ---------------------------------------------------------------------------
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d")


@pytest.mark.parametrize("kind", ["questions", "declined", "representative", "consented"])
def test_every_time_names_its_zone(read, kind):
    text = read.text(render(RECORDS[kind]()))
    times = TIME.findall(text)
    assert len(times) > 5
    assert len(re.findall(TIME.pattern + " Europe/London", text)) == len(times)
    assert "(local)" not in text


def test_a_zone_far_from_london_is_named_too(read):
    record = build_record()
    record["time_zone"] = "America/New_York"
    text = read.text(render(record))
    assert "Date and time 2026-11-25 14:13:05 +00:00 America/New_York" in text


def test_a_zone_the_kiosk_could_not_name_prints_the_offset_alone(read):
    record = build_record()
    record["time_zone"] = "local"
    text = read.text(render(record))
    assert re.search(r"Date and time 2026-11-25 14:13:05 \+00:00 (?!local)", text)
    assert "+00:00 local" not in text and "(local)" not in text
    assert f"{DEFAULT_LABELS['time_zone']} {DEFAULT_LABELS['time_zone_unnamed']}" in text


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_the_pdf_is_dated_when_the_record_was_finished(read, kind):
    record = RECORDS[kind]()
    metadata = read.reader(render(record)).metadata
    finished = datetime.fromisoformat(record["finished_at"])
    assert metadata.creation_date == finished and metadata.modification_date == finished
    assert metadata.creation_date.year == 2026


def test_the_date_keeps_the_records_offset(read):
    record = build_record()
    record["finished_at"] = "2026-07-01T09:30:15+02:00"
    metadata = read.reader(render(record)).metadata
    assert metadata["/CreationDate"] == "D:20260701093015+02'00'"
    assert metadata.creation_date == datetime.fromisoformat("2026-07-01T09:30:15+02:00")


def test_two_records_finished_at_different_times_have_different_dates(read):
    early, late = build_record(), build_record()
    late["finished_at"] = at(59, 59)
    assert read.reader(render(early)).metadata.creation_date < read.reader(render(late)).metadata.creation_date


def test_the_blank_form_claims_no_date(read):
    metadata = read.reader(render_blank_form(build_form(), hospital_name=HOSPITAL)).metadata
    assert "/CreationDate" not in metadata and "/ModDate" not in metadata
    assert metadata["/Title"]  # the rest of the information dictionary is still there


# ----- the content's approval --------------------------------------------------------------------
APPROVED = {"approved": True, "approved_by": "Dr Amara Okonkwo", "role": "Consultant interventional radiologist",
            "date": "2026-10-01"}


@pytest.mark.parametrize("approval, translation, expected, absent", [
    (None, None, ["Content not yet approved for clinical use"], ["Translation", "Content approved by"]),
    (APPROVED, None, ["Content approved by Dr Amara Okonkwo (Consultant interventional radiologist) on 2026-10-01"],
     ["not yet approved", "Translation"]),
    (APPROVED, {"status": "draft", "reviewed_by": None, "reviewed_on": None},
     ["Content approved by Dr Amara Okonkwo", "Translation not yet reviewed by a qualified medical translator"], []),
    (None, {"status": "reviewed", "reviewed_by": "Jan Novak", "reviewed_on": "2026-10-05"},
     ["Content not yet approved for clinical use", "Translation reviewed by Jan Novak on 2026-10-05"],
     ["not yet reviewed"]),
])
def test_the_approval_line_is_on_the_first_page(read, approval, translation, expected, absent):
    page = first_page(read, build_record(approval=approval, translation=translation))
    for line in expected:
        assert line in page
    for line in absent:
        assert line not in page


def test_the_approval_is_in_about_this_document_too(read):
    text = read.text(render(build_record(approval=APPROVED)))
    about = text[text.index(DEFAULT_LABELS["section_about"]):]
    assert f"{DEFAULT_LABELS['content_approval']} Content approved by Dr Amara Okonkwo" in about


def test_a_record_from_before_approvals_says_none_was_recorded(read):
    assert "Content approval not recorded" in first_page(read, RECORDS["schema 1"]())


def test_the_blank_form_prints_the_approval(read):
    form = build_form()
    form["content"]["approval"] = APPROVED
    text = read.text(render_blank_form(form, hospital_name=HOSPITAL))
    assert "Content approved by Dr Amara Okonkwo" in text


# ----- records saved before schema 2 -------------------------------------------------------------
def test_a_schema_1_record_renders_with_what_it_has(read):
    record = RECORDS["schema 1"]()
    text = read.text(render(record))
    assert all(statement in text for _, statement in STATEMENTS)  # it only held confirmed ones
    assert " not confirmed" not in text
    assert "needs the doctor's attention: 2. What is the most common risk?" in first_page(read, record)


# ----- no heading alone at the foot of a page ----------------------------------------------------
def headings_of(record: dict) -> set[str]:
    """Every text the PDF draws as a heading or subheading for `record`."""
    labels = {DEFAULT_LABELS[k] for k in DEFAULT_LABELS if k.startswith("section_")}
    labels |= {DEFAULT_LABELS["countersignature_heading"], DEFAULT_LABELS["pictures_shown"]}
    labels |= {s["title"] for s in record["sections"]}
    labels |= {f"{n}. {a['prompt']}" for n, a in enumerate(record["answers"], start=1)}
    return labels


def last_lines(read, pdf: bytes) -> list[tuple[str, bool]]:
    """(text, drawn in bold) of the lowest line of content on each page: header and footer left out."""
    reader = read.reader(pdf)
    out = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        lines: dict[int, list[tuple[float, str, bool]]] = {}

        def visit(text, cm, tm, font, size, lines=lines, height=height):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip() and BOTTOM_MARGIN - 2 < y < height - TOP_MARGIN + 2:
                bold = bool(font) and "Bold" in font.get("/BaseFont", "")
                lines.setdefault(round(y), []).append((x, text.strip(), bold))

        page.extract_text(visitor_text=visit)
        lowest = sorted(lines[min(lines)])
        out.append((flat(" ".join(t for _, t, _ in lowest)), all(b for _, _, b in lowest)))
    return out


def ends_with_a_heading(read, pdf: bytes, headings: set[str]) -> list[str]:
    return [text for text, bold in last_lines(read, pdf)[:-1]
            if bold and any(heading == text or heading.endswith(" " + text) for heading in headings)]


def longer_record(extra_risks: int) -> dict:
    """The flagged record with `extra_risks` more risks: each pushes what follows down a little,
    so over the range every later heading meets the foot of a page somewhere."""
    record = flagged_record()
    record["risks"] += [{"id": f"extra_{n}", "name": f"Extra risk {n}", "summary": RISKS[n % len(RISKS)]["summary"]}
                        for n in range(extra_risks)]
    return record


@pytest.mark.parametrize("extra_risks", range(0, 24))
def test_no_page_ends_with_a_heading(read, extra_risks):
    record = longer_record(extra_risks)
    assert ends_with_a_heading(read, render(record), headings_of(record)) == []


def test_the_check_sees_a_heading_left_alone(read):
    """Without keeping headings with what follows, some of these records did end a page with
    one: the check above would notice."""
    import kiosk.documents.layout as layout

    found = []
    keep, layout.keep_headings_with_next = layout.keep_headings_with_next, lambda story: story
    try:
        from kiosk.documents import render_consent_pdf
        for extra in range(0, 24):
            record = longer_record(extra)
            found += ends_with_a_heading(read, render_consent_pdf(record, hospital_name=HOSPITAL), headings_of(record))
    finally:
        layout.keep_headings_with_next = keep
    assert found


def test_a_heading_is_held_with_a_block_that_keeps_together():
    from reportlab.platypus import KeepTogether, Paragraph
    from reportlab.lib.styles import ParagraphStyle

    heading = Paragraph("Heading", ParagraphStyle("h", keepWithNext=1))
    body = [Paragraph("one", ParagraphStyle("b")), Paragraph("two", ParagraphStyle("b"))]
    story = keep_headings_with_next([heading, KeepTogether(body), Paragraph("after", ParagraphStyle("b"))])
    assert len(story) == 2 and isinstance(story[0], KeepTogether)
    assert story[0]._content == [heading, *body]
