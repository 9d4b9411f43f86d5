"""The MRN line of the countersignature stamp, on its own: with the nurse who checked it, with
an MRN but no name (nothing invented), and every word from the record or the labels."""

import re

from consent_records import RECORDS
from test_countersigned import countersignature
from test_pdf_labels import neutral_labels, strings_in

from kiosk.documents.countersignature import render_countersignature_stamp


def stamp_text(read, signature: dict, **labels) -> str:
    pdf = render_countersignature_stamp(RECORDS["consented"](), signature, width=480, height=175, **labels)
    return " ".join(read.poppler(pdf).split())


def test_the_mrn_and_who_checked_it(read):
    text = stamp_text(read, {**countersignature(), "mrn": "40512", "identity_checked_by": "Ben Ode"})
    assert "MRN 40512, identity checked by Ben Ode" in text


def test_an_mrn_without_a_checker_names_nobody(read):
    text = stamp_text(read, {**countersignature(), "mrn": "40512", "identity_checked_by": None})
    assert "MRN 40512" in text and "checked by" not in text and "None" not in text


def test_every_word_of_the_mrn_line_comes_from_the_record_or_the_labels(read):
    signature = {**countersignature(), "mrn": "40512", "identity_checked_by": "Ben Ode"}
    allowed = {w for s in strings_in(RECORDS["consented"]()) + strings_in(signature)
               for w in re.findall(r"[A-Za-z]+", s)}
    words = set(re.findall(r"[A-Za-z]+", stamp_text(read, signature, labels=neutral_labels())))
    assert words - allowed == set()
