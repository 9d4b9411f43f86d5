"""Sizes, colours and the style sheet: large, calm, high contrast.

Sizes are for a 1920x1080 touchscreen seen from arm's length: body text 28 px, titles 44 px,
every button at least 80 px tall (a shaky finger needs a big target; 72 px is the floor the
tests enforce). Large text makes the words a quarter bigger, and never smaller than 24 px of
body text, even on a 1280x800 tablet.

Colours are two palettes (`NORMAL`, `HIGH_CONTRAST`) of named roles; the style sheet uses
nothing else, and every text colour is at least 7:1 against the background it is drawn on
(WCAG 2 "AAA"; disabled buttons 4.5:1): tests/ui/test_contrast.py measures each pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"

BODY_PX = 28
SMALL_PX = 24
TITLE_PX = 44
LARGE_BODY_MIN_PX = 24  # large text is at least this, on any screen
BUTTON_MIN_PX = 80
KEY_PX = 84
SCROLLBAR_PX = 44  # a scrollbar a finger can hold; the content also scrolls by dragging it
SPACING = 20  # between a page's rows; set by install()
SCALE = 1.0  # the screen scale install() was given (see screen_scale)


@dataclass(frozen=True)
class Palette:
    """The kiosk's colours by what they are for; `ink`-like fields are text, the rest grounds."""

    high_contrast: bool
    ink: str            # body text, titles, the words on most buttons
    paper: str          # the page
    card: str           # buttons, cards, fields, pictures
    line: str           # borders, the scrollbar handle
    primary: str        # the main action; words on plain buttons
    primary_down: str   # the main action pressed
    warm: str           # "Call a nurse"
    error: str          # messages, a wrong answer
    good: str           # a right answer, a tick
    header: str         # the header's band
    progress: str       # "Step 3 of 18" and the hospital's name, on the header
    notice: str         # banners ("A nurse is coming") and a called "Call a nurse"
    selected: str       # a chosen answer, a checked key
    pressed: str        # a plain button held down
    wrong_ground: str   # behind a wrong answer
    right_ground: str   # behind a right answer
    disabled_ink: str
    disabled_line: str
    disabled_ground: str
    waiting_ink: str    # the main action before it may be pressed (its words stay readable)
    track: str          # the scrollbar's groove


NORMAL = Palette(
    high_contrast=False, ink="#1b2631", paper="#f7f5f0", card="#ffffff", line="#9aa5b1",
    primary="#174e74", primary_down="#0f3a59", warm="#6e3b00", error="#8c1d23", good="#155a2f",
    header="#e9e5dc", progress="#2b3844", notice="#fff4d6", selected="#e3eef6", pressed="#dbe7f0",
    wrong_ground="#fbeaea", right_ground="#e7f4ec", disabled_ink="#5d6875", disabled_line="#b8c0c8",
    disabled_ground="#eceae4", waiting_ink="#4f5b66", track="#e9e5dc")
HIGH_CONTRAST = Palette(
    high_contrast=True, ink="#000000", paper="#ffffff", card="#ffffff", line="#000000",
    primary="#003a70", primary_down="#00264d", warm="#6b3000", error="#7a0000", good="#004a20",
    header="#ffffff", progress="#000000", notice="#fff4d6", selected="#dbe9f5", pressed="#dbe7f0",
    wrong_ground="#fff0f0", right_ground="#ecf8f0", disabled_ink="#404040", disabled_line="#404040",
    disabled_ground="#ededed", waiting_ink="#262626", track="#d9d9d9")
_installed = NORMAL  # the palette install() chose (see palette())

# The normal palette's colours by name, for widgets that paint (signature pad, keyboard, ticks).
INK, PAPER, CARD, LINE = NORMAL.ink, NORMAL.paper, NORMAL.card, NORMAL.line
PRIMARY, PRIMARY_DOWN, WARM = NORMAL.primary, NORMAL.primary_down, NORMAL.warm
CALM_GREEN, ERROR = NORMAL.good, NORMAL.error


def palette(high_contrast: bool | None = None) -> Palette:
    """The palette for `high_contrast`; with None, the one the last install() chose."""
    if high_contrast is None:
        return _installed
    return HIGH_CONTRAST if high_contrast else NORMAL


@dataclass(frozen=True)
class TextSizes:
    """Pixel sizes of the words at one screen scale and text size."""

    body: int
    small: int
    title: int


def text_sizes(*, large_text: bool = False, scale: float = 1.0) -> TextSizes:
    """Body, small and title text for `scale` (see `screen_scale`); large text is a quarter
    bigger and its body text never below 24 px (on a 1280x800 tablet: 26 px)."""
    t = scale * (1.25 if large_text else 1.0)
    body, small, title = (round(v * t) for v in (BODY_PX, SMALL_PX, TITLE_PX))
    if large_text and body < LARGE_BODY_MIN_PX:
        grow = LARGE_BODY_MIN_PX / body
        body, small, title = LARGE_BODY_MIN_PX, round(small * grow), round(title * grow)
    return TextSizes(body, small, title)


TEXT = text_sizes()  # the sizes install() chose


def screen_scale(screen_height: int) -> float:
    """Sizes are set for a 1080-pixel-high screen; a 10-inch 1280x800 tablet gets them smaller
    (never below 0.74), so the on-screen keyboard still fits."""
    return max(0.74, min(1.0, screen_height / 1080))


def style_sheet(*, high_contrast: bool = False, large_text: bool = False, scale: float = 1.0) -> str:
    """The kiosk's style sheet; high contrast is black on white with strong borders, large text
    makes every size a quarter bigger, `scale` fits it to the screen (see `screen_scale`)."""
    k = scale  # buttons, keys and gaps follow the screen; large text grows only the words
    sizes = text_sizes(large_text=large_text, scale=scale)
    BODY, TITLE = sizes.body, sizes.title
    BUTTON, KEY, BAR = (round(v * k) for v in (BUTTON_MIN_PX, KEY_PX, SCROLLBAR_PX))
    BAR = max(40, BAR)  # a fingertip, on any screen
    CHOICE = max(66, round(76 * k))  # with its border, never below the 72 px a shaky finger needs
    c = palette(high_contrast)
    header_line = f" border-bottom: 3px solid {c.line};" if high_contrast else ""
    return f"""
QWidget {{ background: {c.paper}; color: {c.ink}; font-size: {BODY}px; }}
QLabel {{ background: transparent; }}
QPushButton QLabel {{ font-weight: bold; color: {c.ink}; }}
QPushButton[role="wrong"] QLabel {{ color: {c.error}; }}
QPushButton[role="right"] QLabel {{ color: {c.good}; }}
QLabel[align="center"] {{ qproperty-alignment: AlignCenter; }}
QLabel[role="title"] {{ font-size: {TITLE}px; font-weight: bold; }}
QLabel[role="subtitle"] {{ font-size: {BODY + 4}px; font-weight: bold; }}
QLabel[role="progress"] {{ font-size: {BODY}px; font-weight: bold; color: {c.progress}; }}
QLabel[role="error"] {{ color: {c.error}; font-weight: bold; }}
QLabel[role="good"] {{ color: {c.good}; font-weight: bold; }}
QLabel[role="card"] {{ background: {c.card}; border: 2px solid {c.line}; border-radius: 12px; padding: 16px; }}
QLabel[role="banner"] {{ background: {c.notice}; color: {c.ink}; border: 2px solid {c.warm}; border-radius: 12px; padding: 12px; }}
QLineEdit {{ background: {c.card}; border: 3px solid {c.line}; border-radius: 10px; padding: {round(10 * k)}px;
             font-size: {TITLE - 6}px; min-height: {BUTTON}px; }}
QLineEdit:focus {{ border-color: {c.primary}; }}
QPushButton {{ background: {c.card}; color: {c.primary}; border: 3px solid {c.primary}; border-radius: 14px;
               padding: {round(12 * k)}px {round(28 * k)}px; font-size: {BODY}px; font-weight: bold; min-height: {BUTTON}px; }}
QPushButton:pressed {{ background: {c.pressed}; }}
QPushButton:disabled {{ color: {c.disabled_ink}; border-color: {c.disabled_line}; background: {c.disabled_ground}; }}
QPushButton[role="primary"] {{ background: {c.primary}; color: {c.card}; }}
QPushButton[role="primary"]:pressed {{ background: {c.primary_down}; }}
QPushButton[role="primary"]:disabled {{ background: {c.paper}; color: {c.waiting_ink}; border: 3px dashed {c.line}; }}
QPushButton:checked {{ background: {c.primary}; color: {c.card}; border-color: {c.primary_down}; }}
QPushButton[role="help"] {{ color: {c.warm}; border-color: {c.warm}; }}
QPushButton[role="help"][called="true"] {{ background: {c.notice}; color: {c.ink}; border: 5px solid {c.warm}; }}
QPushButton[role="choice"] {{ text-align: left; padding: 0; min-height: {CHOICE}px; color: {c.ink}; border-color: {c.line}; }}
QPushButton[role="language"] {{ color: {c.ink}; border-color: {c.line}; }}
QPushButton[role="language"]:checked {{ border-color: {c.primary}; background: {c.selected}; }}
QPushButton[role="choice"]:checked {{ border-color: {c.primary}; background: {c.selected}; }}
QPushButton[role="wrong"] {{ text-align: left; padding: 0; min-height: {CHOICE}px; color: {c.error}; border-color: {c.error}; background: {c.wrong_ground}; }}
QPushButton[role="right"] {{ text-align: left; padding: 0; min-height: {CHOICE}px; color: {c.good}; border-color: {c.good}; background: {c.right_ground}; }}
QPushButton[role="key"] {{ min-height: {KEY}px; min-width: {KEY}px; padding: 0; color: {c.ink}; border-color: {c.line};
                           font-size: {BODY + 4}px; }}
QPushButton[role="key"]:checked {{ background: {c.selected}; border-color: {c.primary}; }}
QFrame[role="picture"] {{ background: {c.card}; border: 2px solid {c.line}; border-radius: 16px; }}
QScrollArea {{ border: none; }}
QWidget#header {{ background: {c.header};{header_line} }}
QLabel#helpbanner {{ padding: 2px 12px; }}
QFrame#readingstrip {{ background: {c.notice}; border: 2px solid {c.line}; border-radius: 12px; }}
QFrame#readingstrip QLabel {{ background: transparent; border: none; color: {c.ink}; }}
QPushButton#start {{ font-size: 40px; }}
QScrollBar:vertical {{ width: {BAR}px; background: {c.paper}; border: none; margin: 0; }}
QScrollBar::handle:vertical {{ background: {c.line}; border-radius: {BAR // 2}px; min-height: {2 * BAR}px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: {c.track}; border-radius: {BAR // 2}px; }}
"""



def install(app: QApplication, *, high_contrast: bool = False, large_text: bool = False,
            scale: float = 1.0) -> None:
    """Load the shipped fonts, make DejaVu Sans (then Droid Sans Fallback, for Chinese) the
    application font, apply the style sheet.

    The fonts are set explicitly: with other fonts installed Qt's default family changes, and
    with none it silently draws empty boxes.
    """
    for font_file in sorted(FONTS_DIR.glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font_file))
    font = QFont("DejaVu Sans")
    # Chinese from the shipped Droid Sans Fallback, on a machine with no CJK font of its own
    font.setFamilies(["DejaVu Sans", "Droid Sans Fallback"])
    sizes = text_sizes(large_text=large_text, scale=scale)
    font.setPixelSize(sizes.body)
    app.setFont(font)
    app.setStyleSheet(style_sheet(high_contrast=high_contrast, large_text=large_text, scale=scale))
    global SPACING, SCALE, TEXT, _installed
    TEXT, _installed = sizes, palette(high_contrast)
    SPACING = max(8, round(20 * scale ** 3))  # the gaps shrink faster than the text on small screens
    SCALE = scale


def scaled(px: int, floor: int = 0) -> int:
    """`px` (a size for a 1920x1080 screen) at the installed screen scale, never below `floor`."""
    return max(floor, round(px * SCALE))


def set_role(widget, role: str) -> None:
    """Give a widget a style role and re-polish it so the change shows at once."""
    widget.setProperty("role", role)
    style = widget.style()
    for w in [widget, *widget.findChildren(QWidget)]:  # descendant rules (a button's label) too
        style.unpolish(w)
        style.polish(w)
