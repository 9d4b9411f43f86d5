"""The content fingerprint: a SHA-256 of the procedure content a patient is shown, and nothing else.

A consent records `ContentPack.sha256` to pin what the patient read, answered and confirmed.
So the fingerprint covers the procedure content in this language:

- title, procedure name and disclaimer ([meta]);
- sections, pages (title, body, "tell me more", picture, animation), risks, questions
  (prompt, every choice, the right one, explanation, page, risks, topics, situation),
  statements (patient and representative forms, topics, representative_only) and the
  `source` each of them names, with the [sources] they name;
- every picture the pages use: the SVG file's bytes (as a SHA-256), where each label points
  (`<picture>.labels.toml`), whether it mirrors for right-to-left, and the label words; a
  picture whose file is missing is recorded as missing (null).

It leaves out the screen chrome ([ui]: buttons, prompts, messages) and the PDF's fixed words
([pdf]): fixing a typo on a button is not a change to the medical content. It also leaves out
the [approval] block and the translation's review status: they are statements *about* this
content, and a clinician cannot sign off a fingerprint that changes when they sign.

The content is written out as canonical JSON (sorted keys, no spaces, UTF-8) and hashed, so
TOML comments, blank lines, quoting and the order of tables do not change it. No Qt here.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.content.pack import ContentPack


def canonical_content(pack: ContentPack, pictures_dir: Path) -> bytes:
    """The fingerprinted content of `pack` as canonical JSON bytes (see the module docstring).

    Reads the SVG and label files of the pictures the pages use from `pictures_dir`; a
    broken label file raises ContentError naming it.
    """
    import hashlib

    from kiosk.content.illustrations import illustration

    pictures: dict[str, Any] = {}
    for name in sorted({page.illustration for page in pack.pages}):
        if not (pictures_dir / f"{name}.svg").is_file():
            # Not shown, so not what the patient saw: recorded as missing rather than refusing
            # to fingerprint (a consent must still be recordable). tests/content/
            # test_illustrations.py fails the build for a picture the pages name but lack.
            pictures[name] = None
            continue
        picture = illustration(name, pictures_dir)
        pictures[name] = {
            "svg_sha256": hashlib.sha256(picture.svg_path.read_bytes()).hexdigest(),
            "mirror_for_rtl": picture.mirror_for_rtl,
            "labels": [{"id": label.id, "anchor": list(label.anchor), "side": label.side,
                        "text": pack.label_text(name, label.id)} for label in picture.labels],
        }
    used_sources = {e.source for e in (*pack.pages, *pack.risks, *pack.questions, *pack.statements)
                    if e.source}
    content = {
        "id": pack.id,
        "version": pack.version,
        "language": pack.language,
        "direction": pack.direction,
        "title": pack.title,
        "procedure": pack.procedure,
        "disclaimer": pack.disclaimer,
        "sections": [{"id": s.id, "title": s.title, "pages": list(s.page_ids)} for s in pack.sections],
        "pages": [{"id": p.id, "section": p.section_id, "title": p.title, "body": p.body,
                   "more": p.more, "illustration": p.illustration, "animation": p.animation,
                   "source": p.source} for p in pack.pages],
        "risks": [{"id": r.id, "name": r.name, "summary": r.summary, "page": r.page_id,
                   "source": r.source} for r in pack.risks],
        "questions": [{"id": q.id, "prompt": q.prompt,
                       "choices": [{"id": c.id, "text": c.text} for c in q.choices],
                       "correct": q.correct, "explanation": q.explanation,
                       "explained_by": q.explained_by, "risks": list(q.risk_ids),
                       "topics": list(q.topics), "situation": q.situation, "source": q.source}
                      for q in pack.questions],
        "statements": [{"id": s.id, "text": s.text, "representative": s.representative_text,
                        "topics": list(s.topics), "representative_only": s.representative_only,
                        "source": s.source} for s in pack.statements],
        "sources": {sid: dataclasses.asdict(pack.sources[sid]) for sid in sorted(used_sources)},
        "pictures": pictures,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_sha256(pack: ContentPack, pictures_dir: Path) -> str:
    """Hex SHA-256 of `canonical_content(pack, pictures_dir)`."""
    import hashlib

    return hashlib.sha256(canonical_content(pack, pictures_dir)).hexdigest()
