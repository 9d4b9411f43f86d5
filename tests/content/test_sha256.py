"""The content fingerprint (`ContentPack.sha256`), recorded with each consent, pins the procedure
content the patient saw, and only that: a change to the screen chrome leaves it alone.

The edits are made to a copy of the real English pack (structure, translation, pictures), so
they are the edits a maintainer would make.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pytest

from kiosk.content import DEFAULT_ASSETS_DIR, DEFAULT_TRANSLATIONS_DIR, ContentError, load_pack
from kiosk.content.fingerprint import canonical_content
from kiosk.content.illustrations import illustration, svg_bytes


class PackCopy:
    """The shipped pack copied to tmp_path; `edit()` changes one thing at a time."""

    def __init__(self, root):
        self.assets = root / "assets"
        self.translations = root / "translations"
        shutil.copytree(DEFAULT_ASSETS_DIR / "content", self.assets / "content")
        shutil.copytree(DEFAULT_ASSETS_DIR / "illustrations", self.assets / "illustrations")
        shutil.copytree(DEFAULT_TRANSLATIONS_DIR / "en", self.translations / "en")
        self.structure = self.assets / "content" / "vertebroplasty.toml"
        self.english = self.translations / "en" / "vertebroplasty.toml"
        self.ui = self.translations / "en" / "ui.toml"

    def load(self):
        # A picture is read once per process (the kiosk never edits one while it runs); the
        # edits here stand for a new run, so forget what was read.
        illustration.cache_clear()
        svg_bytes.cache_clear()
        return load_pack("en", assets_dir=self.assets, translations_dir=self.translations)

    def edit(self, path, old, new):
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, f"{old!r} is not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def table_value(self, table: str, key: str) -> str:
        """The first line `key = ...` after the line `[table]` in the language's ui.toml."""
        lines = self.ui.read_text(encoding="utf-8").splitlines()
        start = lines.index(f"[{table}]")
        return next(line for line in lines[start + 1:] if line.startswith(f"{key} ="))


@pytest.fixture
def copy(tmp_path):
    return PackCopy(tmp_path)


def test_the_copy_has_the_shipped_fingerprint(copy):
    assert copy.load().sha256 == load_pack("en").sha256


def test_is_the_sha256_of_the_canonical_json(real_pack):
    content = canonical_content(real_pack, DEFAULT_ASSETS_DIR / "illustrations")
    assert real_pack.sha256 == hashlib.sha256(content).hexdigest()
    decoded = json.loads(content)
    assert content == json.dumps(decoded, sort_keys=True, ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8")
    assert set(decoded) >= {"pages", "risks", "questions", "statements", "pictures", "sources",
                            "title", "disclaimer", "procedure"}
    assert not set(decoded) & {"ui", "pdf", "approval", "translation"}


def test_is_stable_across_loads():
    assert load_pack("en").sha256 == load_pack("en").sha256


def test_covers_every_picture_the_pages_use(real_pack):
    pictures = json.loads(canonical_content(real_pack, DEFAULT_ASSETS_DIR / "illustrations"))["pictures"]
    assert set(pictures) == {page.illustration for page in real_pack.pages}
    for name, picture in pictures.items():
        svg = (DEFAULT_ASSETS_DIR / "illustrations" / f"{name}.svg").read_bytes()
        assert picture["svg_sha256"] == hashlib.sha256(svg).hexdigest()


# ------------------------------------------------------------------ what leaves it unchanged


def test_a_screen_text_change_leaves_it_unchanged(copy):
    before = copy.load()
    old = copy.table_value("ui", "next")
    copy.edit(copy.ui, old, 'next = "Go on"')
    after = copy.load()
    assert after.ui("next") == "Go on" != before.ui("next")
    assert after.sha256 == before.sha256


def test_a_pdf_label_change_leaves_it_unchanged(copy):
    before = copy.load().sha256
    copy.edit(copy.ui, 'not_signed = "Not signed"', 'not_signed = "Not yet signed"')
    assert copy.load().pdf_labels["not_signed"] == "Not yet signed"
    assert copy.load().sha256 == before


def test_comments_blank_lines_and_quoting_leave_it_unchanged(copy):
    before = copy.load().sha256
    copy.edit(copy.english, "[meta]\n", "# a comment a maintainer added\n\n[meta]\n")
    copy.edit(copy.structure, 'id = "vertebroplasty"', "id = 'vertebroplasty'  # the procedure")
    assert copy.load().sha256 == before


def test_the_order_of_tables_in_the_ui_part_leaves_it_unchanged(copy):
    before = copy.load().sha256
    text = copy.ui.read_text(encoding="utf-8")
    ui_at, pdf_at = text.index("\n[ui]\n"), text.index("\n[pdf]\n")
    assert ui_at < pdf_at
    # [pdf] moved to before [ui]: the same content, tables in another order
    ui_part, pdf_part = text[ui_at:pdf_at], text[pdf_at:]
    copy.ui.write_text(text[:ui_at] + pdf_part + ui_part, encoding="utf-8")
    assert copy.load().ui("next") and copy.load().sha256 == before


def test_the_approval_block_leaves_it_unchanged(copy):
    before = copy.load()
    copy.edit(copy.structure, 'approved_by = ""', 'approved_by = "Dr A. Clinician"')
    copy.edit(copy.structure, 'role = ""', 'role = "Consultant interventional radiologist"')
    copy.edit(copy.structure, 'date = ""', 'date = "2026-12-01"')
    after = copy.load()
    assert after.approval.approved and not before.approval.approved
    assert after.sha256 == before.sha256


# ------------------------------------------------------------------ what changes it


def _move_the_first_section_last(copy):
    text = copy.structure.read_text(encoding="utf-8")
    block = '[[sections]]\nid = "fracture"\npages = ["fracture_what", "fracture_why"]\n\n'
    marker = "# ---------------------------------------------------------------- pages"
    assert block in text and marker in text
    copy.structure.write_text(text.replace(block, "", 1).replace(marker, block + marker, 1),
                              encoding="utf-8")


CHANGES = {
    "a page's text": lambda c: c.edit(c.english, "Your spine is a stack of small bones.",
                                      "Your spine is a stack of little bones."),
    "a page's tell-me-more text": lambda c: c.edit(c.english, "Fracture is the doctor's word",
                                                   "Fracture is the doctors' word"),
    "a question's prompt": lambda c: c.edit(c.english, 'prompt = "', 'prompt = "So: '),
    "a question choice": lambda c: c.edit(c.english, '[questions.q_treats.choices]\na = "',
                                          '[questions.q_treats.choices]\na = "Maybe: '),
    "which choice is right": lambda c: c.edit(c.structure, 'correct = "b"', 'correct = "a"'),
    "a statement": lambda c: c.edit(c.english, 'text = "I know I can ask', 'text = "I know that I can ask'),
    "a statement's representative form": lambda c: c.edit(
        c.english, 'representative = "I know I can ask', 'representative = "I know that I can ask'),
    "a risk summary": lambda c: c.edit(c.english, 'summary = "', 'summary = "Note: '),
    "the title": lambda c: c.edit(c.english, 'title = "Vertebroplasty:', 'title = "Vertebroplasty -'),
    "the disclaimer": lambda c: c.edit(c.english, "This is general health information.",
                                       "This is general information about health."),
    "the order of the sections": _move_the_first_section_last,
    "a picture's SVG": lambda c: c.edit(c.assets / "illustrations" / "compression_fracture.svg",
                                        "</svg>", '<circle cx="1" cy="1" r="1"/></svg>'),
    "a picture label's words": lambda c: c.edit(c.english, 'healthy_bone = "Healthy bone"',
                                                'healthy_bone = "A healthy bone"'),
    "where a picture label points": lambda c: c.edit(
        c.assets / "illustrations" / "compression_fracture.labels.toml", "anchor = [0.17,", "anchor = [0.18,"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES)
def test_a_change_to_the_procedure_content_changes_it(copy, change):
    before = copy.load().sha256
    change(copy)
    assert copy.load().sha256 != before


def test_a_missing_picture_is_fingerprinted_as_missing(copy):
    with_it = copy.load().sha256
    (copy.assets / "illustrations" / "compression_fracture.svg").unlink()
    pack = copy.load()
    pictures = json.loads(canonical_content(pack, copy.assets / "illustrations"))["pictures"]
    assert pictures["compression_fracture"] is None
    assert pack.sha256 != with_it


def test_a_broken_label_file_is_named(copy):
    copy.edit(copy.assets / "illustrations" / "compression_fracture.labels.toml", 'side = "top"',
              'side = "middle"')
    with pytest.raises(ContentError, match="compression_fracture.labels.toml"):
        copy.load().sha256


def test_hashlib_is_imported_only_when_the_fingerprint_is_first_used():
    script = ("import sys; from kiosk.content import load_pack; pack = load_pack('en'); "
              "before = 'hashlib' in sys.modules; pack.sha256; print(before, 'hashlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]
