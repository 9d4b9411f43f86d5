"""Reading ease of a content pack in its own language's formula (textstat 0.7.4), where it has one.

textstat's `set_lang` accepts es, fr, de, it, pt, pl, uk, ru and nl (pyphen hyphenation); it
raises KeyError for tr, ar and zh and leaves the language half-set, so it is reset each time.
The formulas that mean something for a language (see ../shared/PLATFORM.md):

- English: Flesch reading ease (and the Flesch-Kincaid grade the English is written to);
- Spanish: Fernández-Huerta; German: Wiener Sachtextformel (a school grade, lower is easier);
- Italian: Gulpease; French: Flesch with French coefficients; Arabic: OSMAN.

Portuguese, Polish, Turkish, Ukrainian and Chinese have no formula there: they are listed as
not measured, never given another language's number.
"""

from __future__ import annotations

import warnings

from tests.content.plain_text import as_sentences

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import textstat

# code: (formula's name, how it is read, function of the passage)
FORMULAS = {
    "en": ("Flesch reading ease", "higher is easier; 60-70 plain English",
           lambda t: textstat.flesch_reading_ease(t)),
    "es": ("Fernández-Huerta", "higher is easier; 70-80 fairly easy", lambda t: textstat.fernandez_huerta(t)),
    "de": ("Wiener Sachtextformel", "a school grade; lower is easier", lambda t: textstat.wiener_sachtextformel(t, 1)),
    "it": ("Gulpease", "higher is easier; over 60 easy for a reader with 8 years of school",
           lambda t: textstat.gulpease_index(t)),
    "fr": ("Flesch (French coefficients)", "higher is easier; 60-70 plain", lambda t: textstat.flesch_reading_ease(t)),
    "ar": ("OSMAN", "higher is easier", lambda t: textstat.osman(t)),
}


def reading_score(pack) -> tuple[str, str, float] | None:
    """(formula, how to read it, score) of the pack's patient texts; None where textstat has no formula."""
    formula = FORMULAS.get(pack.language)
    if formula is None:
        return None
    name, reading, measure = formula
    passage = as_sentences([t for t in pack.patient_texts() if t.strip()])
    try:
        textstat.set_lang(pack.language if pack.language in ("es", "fr", "de", "it") else "en")
    except KeyError:
        textstat.set_lang("en")
    try:
        return name, reading, round(float(measure(passage)), 1)
    finally:
        textstat.set_lang("en")
