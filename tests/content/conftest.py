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

MINI_TEXT = """\
[language]
code = "en"
name = "English"
direction = "ltr"

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

[ui]
next = "Next"
greeting = "Hello {name}"

[ui.buttons]
back = "Back"

[pdf]
signed = "Signed"
date = "Date"
"""

MINI_FRENCH = (
    MINI_TEXT.replace('code = "en"', 'code = "fr"')
    .replace('name = "English"', 'name = "Français"')
    .replace('next = "Next"\n', "")
    .replace('back = "Back"', 'back = "Retour"')
    .replace('date = "Date"\n', "")
    .replace("Body A.", "Texte A.")
)

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
        self.text("en").write_text(MINI_TEXT, encoding="utf-8")
        self.pictures_dir = self.assets_dir / "illustrations"
        self.pictures_dir.mkdir()
        for name, width in (("art_a", 100), ("art_b", 200)):
            self.picture(name).write_text(MINI_SVG.format(w=width), encoding="utf-8")
        (self.pictures_dir / "art_a.labels.toml").write_text(MINI_LABELS, encoding="utf-8")

    def picture(self, name: str) -> Path:
        return self.pictures_dir / f"{name}.svg"

    def text(self, code: str) -> Path:
        return self.translations_dir / f"{code}.toml"

    def add_french(self) -> Path:
        self.text("fr").write_text(MINI_FRENCH, encoding="utf-8")
        return self.text("fr")

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def load(self, language: str = "en"):
        from kiosk.content import load_pack

        return load_pack(
            language, assets_dir=self.assets_dir, translations_dir=self.translations_dir
        )


@pytest.fixture
def mini(tmp_path) -> MiniPack:
    return MiniPack(tmp_path)
