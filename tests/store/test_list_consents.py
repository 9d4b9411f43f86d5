"""list_consents and get_consent: what the nurse station reads back."""

import pytest

from kiosk.store import archive_consent, get_consent, list_consents

PEOPLE = [
    ("consented", "Margaret O'Brien"),
    ("declined", "José López"),
    ("questions", "مارغريت أوبراين"),
    ("abandoned", ""),
    ("consented", "Anne 100% Sure_Smith"),
]


@pytest.fixture
def saved(fresh_db, pdf_dir, make_record, pdf):
    """Five consents, saved in the order of PEOPLE; returns their records."""
    records = []
    for outcome, name in PEOPLE:
        record = make_record(
            outcome=outcome, patient={"full_name": name, "date_of_birth": "1950-01-02"}
        )
        if record["signature"]:
            record["signature"]["signer_name"] = name
        archive_consent(
            fresh_db, pdf_dir, record, None if outcome == "abandoned" else pdf
        )
        records.append(record)
    return records


def _ids(rows):
    return [row["document_id"] for row in rows]


def test_newest_first(fresh_db, saved):
    assert _ids(list_consents(fresh_db)) == [r["document_id"] for r in reversed(saved)]


@pytest.mark.parametrize("outcome", ["consented", "questions", "declined", "abandoned"])
def test_filter_by_outcome(fresh_db, saved, outcome):
    expected = [r["document_id"] for r in reversed(saved) if r["outcome"] == outcome]
    assert _ids(list_consents(fresh_db, outcome=outcome)) == expected


def test_unknown_outcome_is_a_mistake(fresh_db, saved):
    with pytest.raises(ValueError):
        list_consents(fresh_db, outcome="signed")


@pytest.mark.parametrize(
    "search, person",
    [
        ("o'brien", 0),
        ("MARGARET", 0),
        ("lopez", 1),
        ("JOSÉ", 1),
        ("أوبراين", 2),
        ("100%", 4),
        ("sure_smith", 4),
    ],
)
def test_search_by_name_ignores_case_and_accents(fresh_db, saved, search, person):
    assert _ids(list_consents(fresh_db, search=search)) == [
        saved[person]["document_id"]
    ]


@pytest.mark.parametrize("search", ["O%Brien", "Jos_", "nobody"])
def test_search_has_no_wildcards(fresh_db, saved, search):
    assert list_consents(fresh_db, search=search) == []


def test_search_by_document_id_start(fresh_db, saved):
    start = saved[3]["document_id"][:8]
    assert _ids(list_consents(fresh_db, search=start)) == [saved[3]["document_id"]]


def test_search_by_date_of_birth_with_outcome(fresh_db, saved):
    rows = list_consents(fresh_db, search="1950-01-02", outcome="consented")
    assert _ids(rows) == [saved[4]["document_id"], saved[0]["document_id"]]


def test_blank_search_finds_everything(fresh_db, saved):
    assert len(list_consents(fresh_db, search="  ")) == len(saved)


@pytest.mark.parametrize(
    "limit, offset, people", [(2, 0, [4, 3]), (2, 2, [2, 1]), (10, 4, [0]), (0, 0, [])]
)
def test_limit_and_offset(fresh_db, saved, limit, offset, people):
    rows = list_consents(fresh_db, limit=limit, offset=offset)
    assert _ids(rows) == [saved[p]["document_id"] for p in people]


def test_rows_leave_out_the_full_record(fresh_db, saved):
    row = list_consents(fresh_db)[0]
    assert "record_json" not in row and "record" not in row


def test_rows_have_flags_as_a_list(fresh_db, saved):
    assert list_consents(fresh_db)[0]["flags"] == [
        "needs_doctor:q_rest",
        "help_requested",
    ]


def test_get_unknown_consent_is_none(fresh_db, saved):
    assert get_consent(fresh_db, "00000000-0000-4000-8000-000000000000") is None


def test_get_returns_the_record(fresh_db, saved):
    assert get_consent(fresh_db, saved[1]["document_id"])["record"] == saved[1]
