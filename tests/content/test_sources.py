"""Content that does not come from the CIRSE leaflet names its published source, and
docs/content-sources.md lists it for clinical sign-off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "content-sources.md"

# Claims the leaflet does not make. An entry that makes one must name a source: adding
# "a back brace" to a page without `source` fails here.
BEYOND_THE_LEAFLET = {
    "other treatments": r"back brace|pain medicine|no treatment|other choices?",
    "it may not help": r"not help everyone|helps many people, but not all|no promise|may not help",
    "pain relief figures": r"\b58\b|\b97\b",
    "the right to say no": r"\bsay no\b|change (my|your) mind",
    "care goes on": r"cared for|other care",
    "deciding for a patient": r"legal|power of attorney|guardian",
    "what a leak could do": r"press on the spinal cord|block a blood vessel|press on nerves",
    "what sedation feels like": r"relaxed and sleepy|remember only some",
    "what steroids are": r"calm swelling",
    "what an MRI is": r"magnet",
    "the right to ask": r"ask the doctor questions",
}


def _entries(pack):
    """(kind, entry, every text of it) for each page, risk, question and statement."""
    for page in pack.pages:
        yield "pages", page, [page.title, page.body, page.more or ""]
    for risk in pack.risks:
        yield "risks", risk, [risk.name, risk.summary]
    for q in pack.questions:
        yield "questions", q, [q.prompt, q.explanation, *(c.text for c in q.choices if c.id == q.correct)]
    for s in pack.statements:
        yield "statements", s, [s.text, s.representative_text]


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("claim", BEYOND_THE_LEAFLET.values(), ids=BEYOND_THE_LEAFLET)
def test_an_entry_making_a_claim_beyond_the_leaflet_names_a_source(real_pack, claim):
    unsourced = [f"{kind}.{entry.id}" for kind, entry, texts in _entries(real_pack)
                 if entry.source is None and any(re.search(claim, t, re.I) for t in texts)]
    assert unsourced == []


def test_every_named_source_exists_and_is_complete(real_pack):
    named = {entry.source for _, entry, _ in _entries(real_pack) if entry.source}
    assert named <= set(real_pack.sources)
    for source in real_pack.sources.values():
        assert source.title and source.publisher and source.url.startswith("https://")
        assert re.fullmatch(r"\d{4}|n\.d\.", source.year)


def test_the_doc_lists_every_entry_that_names_a_source(real_pack):
    doc = _doc()
    missing = [f"{kind}.{entry.id}" for kind, entry, _ in _entries(real_pack)
               if entry.source and f"`{kind}.{entry.id}`" not in doc]
    assert missing == []


def test_the_doc_cites_only_sources_the_pack_has_and_lists_them_all(real_pack):
    doc = _doc()
    cited = set(re.findall(r"\[`([a-z0-9_]+)`\]", doc))
    assert cited and cited <= set(real_pack.sources)
    for source_id, source in real_pack.sources.items():
        assert f"`{source_id}`" in doc and source.url in doc


def test_the_doc_says_the_content_is_not_yet_approved_until_it_is(real_pack):
    if not real_pack.approval.approved:
        assert "not yet approved" in _doc().lower()
