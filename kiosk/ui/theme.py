"""Sizes, colours and the style sheet: large, calm, high contrast.

Sizes are for a 1920x1080 touchscreen seen from arm's length: body text 28 px, titles 44 px,
every button at least 80 px tall (a shaky finger needs a big target; 72 px is the floor the
tests enforce).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"

BODY_PX = 28
SMALL_PX = 24
TITLE_PX = 44
BUTTON_MIN_PX = 80
KEY_PX = 84
SCROLLBAR_PX = 44  # a scrollbar a finger can hold; the content also scrolls by dragging it
SPACING = 20  # between a page's rows; set by install()
SCALE = 1.0  # the screen scale install() was given (see screen_scale)

INK = "#1b2631"
PAPER = "#f7f5f0"
CARD = "#ffffff"
PRIMARY = "#1f5f8b"
PRIMARY_DOWN = "#164766"
CALM_GREEN = "#1e6b3a"
WARM = "#8a4b00"
ERROR = "#a4262c"
LINE = "#9aa5b1"

def screen_scale(screen_height: int) -> float:
    """Sizes are set for a 1080-pixel-high screen; a 10-inch 1280x800 tablet gets them smaller
    (never below 0.74), so the on-screen keyboard still fits."""
    return max(0.74, min(1.0, screen_height / 1080))


def style_sheet(*, high_contrast: bool = False, large_text: bool = False, scale: float = 1.0) -> str:
    """The kiosk's style sheet; high contrast is black on white with strong borders, large text
    makes every size a quarter bigger, `scale` fits it to the screen (see `screen_scale`)."""
    k = scale  # buttons, keys and gaps follow the screen; large text grows only the words
    t = scale * (1.25 if large_text else 1.0)
    BODY, SMALL, TITLE = (round(v * t) for v in (BODY_PX, SMALL_PX, TITLE_PX))
    BUTTON, KEY, BAR = (round(v * k) for v in (BUTTON_MIN_PX, KEY_PX, SCROLLBAR_PX))
    BAR = max(40, BAR)  # a fingertip, on any screen
    CHOICE = max(66, round(76 * k))  # with its border, never below the 72 px a shaky finger needs
    INK_, PAPER_, CARD_, LINE_, PRIMARY_, WARM_ = (
        ("#000000", "#ffffff", "#ffffff", "#000000", "#003a70", "#6b3000") if high_contrast
        else (INK, PAPER, CARD, LINE, PRIMARY, WARM))
    return f"""
QWidget {{ background: {PAPER_}; color: {INK_}; font-size: {BODY}px; }}
QLabel {{ background: transparent; }}
QPushButton QLabel {{ font-weight: bold; color: {INK_}; }}
QPushButton[role="wrong"] QLabel {{ color: {ERROR}; }}
QPushButton[role="right"] QLabel {{ color: {CALM_GREEN}; }}
QLabel[align="center"] {{ qproperty-alignment: AlignCenter; }}
QLabel[role="title"] {{ font-size: {TITLE}px; font-weight: bold; }}
QLabel[role="subtitle"] {{ font-size: {BODY + 4}px; font-weight: bold; }}
QLabel[role="progress"] {{ font-size: {BODY}px; font-weight: bold; color: #2b3844; }}
QLabel[role="error"] {{ color: {ERROR}; font-weight: bold; }}
QLabel[role="good"] {{ color: {CALM_GREEN}; font-weight: bold; }}
QLabel[role="card"] {{ background: {CARD_}; border: 2px solid {LINE_}; border-radius: 12px; padding: 16px; }}
QLabel[role="banner"] {{ background: #fff4d6; border: 2px solid {WARM_}; border-radius: 12px; padding: 12px; }}
QLineEdit {{ background: {CARD_}; border: 3px solid {LINE_}; border-radius: 10px; padding: {round(10 * k)}px;
             font-size: {TITLE - 6}px; min-height: {BUTTON}px; }}
QLineEdit:focus {{ border-color: {PRIMARY_}; }}
QPushButton {{ background: {CARD_}; color: {PRIMARY_}; border: 3px solid {PRIMARY_}; border-radius: 14px;
               padding: {round(12 * k)}px {round(28 * k)}px; font-size: {BODY}px; font-weight: bold; min-height: {BUTTON}px; }}
QPushButton:pressed {{ background: #dbe7f0; }}
QPushButton:disabled {{ color: #6b7785; border-color: #b8c0c8; background: #eceae4; }}
QPushButton[role="primary"] {{ background: {PRIMARY_}; color: white; }}
QPushButton[role="primary"]:pressed {{ background: {PRIMARY_DOWN}; }}
QPushButton[role="primary"]:disabled {{ background: {PAPER_}; color: #4f5b66; border: 3px dashed {LINE_}; }}
QPushButton:checked {{ background: {PRIMARY_}; color: white; border-color: {PRIMARY_DOWN}; }}
QPushButton[role="help"] {{ color: {WARM_}; border-color: {WARM_}; }}
QPushButton[role="help"][called="true"] {{ background: #fff4d6; color: {INK_}; border: 5px solid {WARM_}; }}
QPushButton[role="choice"] {{ text-align: left; padding: 0; min-height: {CHOICE}px; color: {INK_}; border-color: {LINE_}; }}
QPushButton[role="language"] {{ color: {INK_}; border-color: {LINE_}; }}
QPushButton[role="language"]:checked {{ border-color: {PRIMARY_}; background: #e3eef6; }}
QPushButton[role="choice"]:checked {{ border-color: {PRIMARY_}; background: #e3eef6; }}
QPushButton[role="wrong"] {{ text-align: left; padding: 0; min-height: {CHOICE}px; color: {ERROR}; border-color: {ERROR}; background: #fbeaea; }}
QPushButton[role="right"] {{ text-align: left; padding: 0; min-height: {CHOICE}px; color: {CALM_GREEN}; border-color: {CALM_GREEN}; background: #e7f4ec; }}
QPushButton[role="key"] {{ min-height: {KEY}px; min-width: {KEY}px; padding: 0; color: {INK_}; border-color: {LINE_};
                           font-size: {BODY + 4}px; }}
QPushButton[role="key"]:checked {{ background: #e3eef6; border-color: {PRIMARY_}; }}
QFrame[role="picture"] {{ background: {CARD_}; border: 2px solid {LINE_}; border-radius: 16px; }}
QScrollArea {{ border: none; }}
QWidget#header {{ background: #e9e5dc; }}
QLabel#helpbanner {{ padding: 2px 12px; }}
QPushButton#start {{ font-size: 40px; }}
QScrollBar:vertical {{ width: {BAR}px; background: {PAPER_}; border: none; margin: 0; }}
QScrollBar::handle:vertical {{ background: {LINE_}; border-radius: {BAR // 2}px; min-height: {2 * BAR}px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: #e9e5dc; border-radius: {BAR // 2}px; }}
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
    font.setPixelSize(round(BODY_PX * scale * (1.25 if large_text else 1.0)))
    app.setFont(font)
    app.setStyleSheet(style_sheet(high_contrast=high_contrast, large_text=large_text, scale=scale))
    global SPACING, SCALE
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
