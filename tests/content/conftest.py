"""A tiny, valid content pack written to tmp_path, to break one rule at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

MINI_STRUCTURE = """\
id = "vertebroplasty"
version = "0.0.1"

[[sections]]
id = "one"
pages = ["p_a", "p_b"]

[[pages]]
id = "p_a"
illustration = "art_a"

[[pages]]
id = "p_b"
illustration = "art_b"

[[risks]]
id = "r_a"
page = "p_b"

[[questions]]
id = "q_a"
explained_by = "p_b"
risks = ["r_a"]
choices = ["a", "b", "c"]
correct = "b"

[[statements]]
id = "s_a"
"""

MINI_UI = """\
[language]
code = "en"
name = "English"
direction = "ltr"

[translation]
status = "draft"

[ui]
next = "Next"
greeting = "Hello {name}"

[ui.buttons]
back = "Back"

[pdf]
signed = "Signed"
date = "Date"
"""

MINI_TEXT = """\
[translation]
status = "draft"

[meta]
title = "Title"
procedure = "Procedure"
disclaimer = "Disclaimer."

[sections.one]
title = "Section one"

[pages.p_a]
title = "Page A"
body = "Body A."
more = "More A."

[pages.p_b]
title = "Page B"
body = "Body B."

[risks.r_a]
name = "Risk A"
summary = "Risk A summary."

[questions.q_a]
prompt = "Prompt?"
explanation = "Explanation."

[questions.q_a.choices]
a = "Choice A"
b = "Choice B"
c = "Choice C"

[statements.s_a]
text = "Statement A."
representative = "Statement A for the patient."

[labels.art_a]
tip = "Tip of A"
"""

MINI_FRENCH_UI = (
    MINI_UI.replace('code = "en"', 'code = "fr"')
    .replace('name = "English"', 'name = "Français"')
    .replace('next = "Next"\n', "")
    .replace('back = "Back"', 'back = "Retour"')
    .replace('date = "Date"\n', "")
)
MINI_FRENCH = MINI_TEXT.replace("Body A.", "Texte A.")

# A picture the kiosk could draw: two shapes, no words; art_a has one label.
MINI_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600">'
            '<rect x="10" y="10" width="{w}" height="100" fill="#f3e9d2" stroke="#1b2631"/>'
            '<circle cx="400" cy="300" r="50" fill="#4f86b5"/></svg>\n')
MINI_LABELS = '[[labels]]\nid = "tip"\nanchor = [0.5, 0.5]\nside = "right"\n'


class MiniPack:
    """Paths of a tiny pack in tmp_path; `edit()` breaks it one substitution at a time."""

    def __init__(self, root: Path):
        self.assets_dir = root / "assets"
        self.translations_dir = root / "translations"
        (self.assets_dir / "content").mkdir(parents=True)
        self.translations_dir.mkdir()
        self.structure = self.assets_dir / "content" / "vertebroplasty.toml"
        self.structure.write_text(MINI_STRUCTURE, encoding="utf-8")
        self.write_language("en", MINI_UI, MINI_TEXT)
        self.pictures_dir = self.assets_dir / "illustrations"
        self.pictures_dir.mkdir()
        for name, width in (("art_a", 100), ("art_b", 200)):
            self.picture(name).write_text(MINI_SVG.format(w=width), encoding="utf-8")
        (self.pictures_dir / "art_a.labels.toml").write_text(MINI_LABELS, encoding="utf-8")

    def picture(self, name: str) -> Path:
        return self.pictures_dir / f"{name}.svg"

    def text(self, code: str) -> Path:
        """The language's procedure file, translations/<code>/vertebroplasty.toml."""
        return self.translations_dir / code / "vertebroplasty.toml"

    def ui(self, code: str) -> Path:
        """The language's screen and PDF words, translations/<code>/ui.toml."""
        return self.translations_dir / code / "ui.toml"

    def write_language(self, code: str, ui: str, text: str) -> None:
        (self.translations_dir / code).mkdir(exist_ok=True)
        self.ui(code).write_text(ui, encoding="utf-8")
        self.text(code).write_text(text, encoding="utf-8")

    def add_french(self) -> Path:
        self.write_language("fr", MINI_FRENCH_UI, MINI_FRENCH)
        return self.text("fr")

    def edit(self, path: Path, old: str, new: str) -> None:
        """Replace `old`, found once in `path` or, for a procedure file, in its ui.toml."""
        text = path.read_text(encoding="utf-8")
        if text.count(old) == 0 and (path.parent / "ui.toml").is_file():
            path = path.parent / "ui.toml"
            text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def set_status(self, code: str, table: str) -> None:
        """Both files of `code` get `table` as their [translation] table."""
        for path in (self.ui(code), self.text(code)):
            self.edit(path, '[translation]\nstatus = "draft"\n', "[translation]\n" + table)

    def load(self, language: str = "en"):
        from kiosk.content import load_pack

        return load_pack(
            language, assets_dir=self.assets_dir, translations_dir=self.translations_dir
        )


@pytest.fixture
def mini(tmp_path) -> MiniPack:
    return MiniPack(tmp_path)
