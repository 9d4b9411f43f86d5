"""Seeing well enough: every text colour of the theme is at least 7:1 against the ground it is
drawn on, in the normal and the high-contrast palette (WCAG 2 relative luminance); large text
is at least 24 px on a 1280x800 tablet and every patient screen still fits it; the cement
animation takes the high-contrast palette as the still pictures do."""

from __future__ import annotations

import os
import re

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFontInfo, QImage
from PySide6.QtWidgets import QApplication

from kiosk.ui import theme
from kiosk.ui.theme import HIGH_CONTRAST, NORMAL, Palette, screen_scale
from tests.ui import journey
from tests.ui.conftest import page
from tests.ui.journey import Patient

BODY_RATIO = 7.0      # WCAG 2 AAA for body text
DISABLED_RATIO = 4.5  # a button that cannot be pressed yet: still readable, plainly not active

# (what a patient reads, text colour, the ground it is drawn on) by the palette's role names:
# every colour rule of theme.style_sheet that sets words, and the widgets that paint words.
TEXT_ON_GROUND = [
    ("body text on the page", "ink", "paper"),
    ("a title on the page", "ink", "paper"),
    ("a card (Tell me more, the disclaimer)", "ink", "card"),
    ("a typed name in its field", "ink", "card"),
    ("a plain button (Back, Language)", "primary", "card"),
    ("a plain button held down", "primary", "pressed"),
    ("the main action (Next)", "card", "primary"),
    ("the main action held down", "card", "primary_down"),
    ("a checked button", "card", "primary"),
    ("Call a nurse", "warm", "card"),
    ("Call a nurse, once called", "ink", "notice"),
    ("an answer", "ink", "card"),
    ("an answer held down", "ink", "pressed"),
    ("the chosen answer", "ink", "selected"),
    ("a wrong answer", "error", "wrong_ground"),
    ("a right answer", "good", "right_ground"),
    ("a language on Welcome", "ink", "card"),
    ("the chosen language", "ink", "selected"),
    ("a key of the keyboard", "ink", "card"),
    ("a key held down", "ink", "pressed"),
    ("a checked key (Shift, the layout in use)", "ink", "selected"),
    ("the progress (Step 3 of 18)", "progress", "header"),
    ("the hospital's name in the header", "progress", "header"),
    ("the nurse banner in the header", "ink", "notice"),
    ("an error message", "error", "paper"),
    ("a message that all is well", "good", "paper"),
    ("a banner (shown again after a wrong answer)", "ink", "notice"),
    ("a statement's tick", "good", "card"),
    ("the cement animation's step captions", "ink", "card"),
]
DISABLED_ON_GROUND = [
    ("a disabled button", "disabled_ink", "disabled_ground"),
    ("the main action before it may be pressed", "waiting_ink", "paper"),
]
PALETTES = [pytest.param(NORMAL, id="normal"), pytest.param(HIGH_CONTRAST, id="high-contrast")]


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour '#rrggbb'."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_matches_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def _ratios(palette: Palette, pairs) -> list[tuple[str, str, str, float]]:
    return [(name, getattr(palette, fg), getattr(palette, bg), contrast(getattr(palette, fg), getattr(palette, bg)))
            for name, fg, bg in pairs]


@pytest.mark.parametrize("palette", PALETTES)
def test_every_text_colour_is_at_least_7_to_1_on_its_ground(palette):
    short = [f"{name}: {fg} on {bg} is {ratio:.2f}:1" for name, fg, bg, ratio in _ratios(palette, TEXT_ON_GROUND)
             if ratio < BODY_RATIO]
    short += [f"{name}: {fg} on {bg} is {ratio:.2f}:1 (disabled, needs {DISABLED_RATIO}:1)"
              for name, fg, bg, ratio in _ratios(palette, DISABLED_ON_GROUND) if ratio < DISABLED_RATIO]
    assert not short, f"\nbelow {BODY_RATIO}:1 in the {'high-contrast' if palette.high_contrast else 'normal'} palette:\n" \
                      + "\n".join(short)


@pytest.mark.parametrize("palette", PALETTES)
def test_the_style_sheet_uses_only_the_palette(palette):
    """A colour written into the style sheet outside the palette would escape the test above."""
    sheet = theme.style_sheet(high_contrast=palette.high_contrast)
    used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", sheet)}
    named = {v for k, v in vars(palette).items() if isinstance(v, str)}
    assert used <= named, f"colours not in the palette: {sorted(used - named)}"
    assert not re.search(r"(?<![-\w])(white|black|gr[ae]y|red|blue|green)\b", sheet), "named colours bypass the palette"


def test_the_high_contrast_palette_is_stronger_than_the_normal_one():
    for name, fg, bg in TEXT_ON_GROUND:
        normal, strong = contrast(getattr(NORMAL, fg), getattr(NORMAL, bg)), \
            contrast(getattr(HIGH_CONTRAST, fg), getattr(HIGH_CONTRAST, bg))
        assert strong >= normal - 0.01, f"{name}: {strong:.2f}:1 in high contrast, {normal:.2f}:1 normally"
    assert contrast(HIGH_CONTRAST.ink, HIGH_CONTRAST.paper) == pytest.approx(21.0)


def test_a_drawn_main_action_shows_the_palette_colours(qtbot):
    """The pairs are what is painted: the Next button's ground and its words' darkest pixel."""
    from kiosk.ui.pages.base import button

    for palette in (NORMAL, HIGH_CONTRAST):
        theme.install(QApplication.instance(), high_contrast=palette.high_contrast)
        next_button = button("Next", "primary")
        qtbot.addWidget(next_button)
        next_button.resize(300, 100)
        image = next_button.grab().toImage().convertToFormat(QImage.Format_RGB32)
        assert image.pixelColor(150, 12).name() == palette.primary
        row = [image.pixelColor(x, 50).name() for x in range(20, 280)]
        assert palette.card in row, "the words are drawn in the card colour (white)"
    theme.install(QApplication.instance())


# ---------------------------------------------------------------- large text

@pytest.mark.parametrize("height", [800, 1080])
def test_large_text_is_at_least_24_px_on_every_screen(height):
    sizes = theme.text_sizes(large_text=True, scale=screen_scale(height))
    assert sizes.body >= 24 and sizes.title > sizes.body
    assert sizes.body > theme.text_sizes(scale=screen_scale(height)).body
    assert theme.text_sizes(large_text=True, scale=0.5).body == 24, "a floor, whatever the scale"


def test_a_body_label_is_at_least_24_px_with_large_text_at_1280x800(make_window, real_pack):
    from kiosk.ui.pages.education import InfoPage

    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(800), large_text=True)
    window.resize(1280, 800)
    journey.start(window)
    journey.enter_identity(window, Patient())
    education = page(window)
    assert isinstance(education, InfoPage)
    QApplication.processEvents()
    body_px = QFontInfo(education.text.font()).pixelSize()
    assert body_px >= 24, f"body text is {body_px} px"
    assert QFontInfo(window.progress_label.font()).pixelSize() >= 24
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(folder) / "large-text-education-1280x800.png"))


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_every_patient_screen_fits_1280x800_with_large_text(make_window, real_pack, qtbot, monkeypatch, high_contrast):
    """The whole journey (a representative, one answer wrong once, its page shown again):
    before each tap, the page on screen fits (tests/ui/test_fits_screen.misfits)."""
    from tests.ui.test_fits_screen import misfits

    size = (1280, 800)
    window = make_window(idle_timeout_seconds=3600, scale=screen_scale(800), large_text=True,
                         high_contrast=high_contrast)
    window.resize(*size)
    seen: dict[str, list[str]] = {}
    tap = journey.tap
    folder = Path(os.environ["KIOSK_SCREENSHOTS"]) if os.environ.get("KIOSK_SCREENSHOTS") else None

    def check_then_tap(widget):
        current = page(window)
        name = f"{type(current).__name__} {getattr(current.step, 'id', '')}"
        if name not in seen:
            seen[name] = misfits(window, size)
            if folder and getattr(current, "animation", None) is not None:
                current.animation.set_progress(0.6)  # the cement half in, for the picture
                palette = "high-contrast" if high_contrast else "normal"
                window.grab().save(str(folder / f"contrast-cement-page-{palette}-large-text-1280x800.png"))
        tap(widget)

    monkeypatch.setattr(journey, "tap", check_then_tap)
    patient = Patient(representative="Tom Obrien", wrong_once={real_pack.questions[0].id})
    journey.walk(window, patient, real_pack, qtbot)
    seen["done"] = misfits(window, size)
    problems = "\n".join(f"{name}: {'; '.join(p)}" for name, p in seen.items() if p)
    assert not problems, "\n" + problems
    assert len(seen) > len(real_pack.pages)


# ---------------------------------------------------------------- the cement animation

def _colour_count(widget, colour: str) -> int:
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    pixels = memoryview(image.constBits()).cast("I").tolist()
    return pixels.count(QColor(colour).rgb() & 0xFFFFFFFF)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_the_cement_animation_follows_the_installed_palette(qtbot, high_contrast):
    from kiosk.content.illustrations import HIGH_CONTRAST as STRONG_TONES
    from kiosk.ui.widgets.cement_animation import CementAnimation
    from kiosk.ui.widgets.cement_scene import SOFT, STRONG

    theme.install(QApplication.instance(), high_contrast=high_contrast)
    try:
        animation = CementAnimation(reduce_motion=True)  # the end state, and the three stills
        animation.set_texts(replay="Watch again", steps=["The needle goes in", "Cement fills the bone",
                                                         "The needle comes out"])
        qtbot.addWidget(animation)
        animation.resize(QSize(800, 760))
        animation.show()
        qtbot.waitExposed(animation)
        colours, other = (STRONG, SOFT) if high_contrast else (SOFT, STRONG)
        assert animation.palette_ is theme.palette()
        for part in ("cement", "broken", "nerve"):
            assert _colour_count(animation.picture, getattr(colours, part)) > 500, part
            assert _colour_count(animation.picture, getattr(other, part)) == 0, part
        if high_contrast:
            assert STRONG.cement == STRONG_TONES[SOFT.cement], "the same strong tones as the still pictures"
            assert STRONG.ink == "#000000" and STRONG.outline > SOFT.outline
        folder = os.environ.get("KIOSK_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            animation.set_progress(0.6)
            name = "contrast-cement-high.png" if high_contrast else "contrast-cement-normal.png"
            animation.grab().save(str(Path(folder) / name))
    finally:
        theme.install(QApplication.instance())


def test_the_cement_animation_can_be_asked_for_a_palette(qtbot):
    from kiosk.ui.widgets.cement_animation import CementAnimation

    animation = CementAnimation(reduce_motion=True, high_contrast=True)
    qtbot.addWidget(animation)
    assert animation.palette_ is HIGH_CONTRAST
