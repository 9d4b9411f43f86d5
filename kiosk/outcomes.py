"""The outcomes of a consent session: the one definition every layer reads.

A saved consent has exactly one outcome, stored and exported as its code. The patient chooses
one of ``DECISIONS`` on the decision page; ``ABANDONED`` is a session that ended without a
decision. Codes only: their words live in translations/ (``outcome_<code>`` in [pdf] for the
documents, [outcome] in translations/nurse for the station).

This module imports nothing, so that it sits below every layer: the journey (``kiosk.flow``),
the documents, the store and the review layer all read it, and none of them has to import
another for it.
"""

CONSENTED = "consented"
QUESTIONS = "questions"
DECLINED = "declined"
ABANDONED = "abandoned"

DECISIONS = (CONSENTED, QUESTIONS, DECLINED)  # what the patient can choose, in the order shown
OUTCOMES = (*DECISIONS, ABANDONED)  # every outcome a saved consent can have

# The decisions a nurse must follow up, and the flag each gives the record
# (kiosk.flow.record.derive_flags; the PDF's summary names them in its own words).
FLAG_BY_OUTCOME = {QUESTIONS: "questions_for_doctor", DECLINED: "declined"}
