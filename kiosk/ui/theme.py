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

INK = "#1b2631"
PAPER = "#f7f5f0"
CARD = "#ffffff"
PRIMARY = "#1f5f8b"
PRIMARY_DOWN = "#164766"
CALM_GREEN = "#1e6b3a"
WARM = "#8a4b00"
ERROR = "#a4262c"
LINE = "#9aa5b1"

STYLE_SHEET = f"""
QWidget {{ background: {PAPER}; color: {INK}; font-size: {BODY_PX}px; }}
QLabel {{ background: transparent; }}
QPushButton QLabel {{ font-weight: bold; color: {INK}; }}
QPushButton[role="wrong"] QLabel {{ color: {ERROR}; }}
QPushButton[role="right"] QLabel {{ color: {CALM_GREEN}; }}
QLabel[align="center"] {{ qproperty-alignment: AlignCenter; }}
QLabel[role="title"] {{ font-size: {TITLE_PX}px; font-weight: bold; }}
QLabel[role="subtitle"] {{ font-size: {BODY_PX + 4}px; font-weight: bold; }}
QLabel[role="progress"] {{ font-size: {BODY_PX}px; font-weight: bold; color: #2b3844; }}
QLabel[role="error"] {{ color: {ERROR}; font-weight: bold; }}
QLabel[role="good"] {{ color: {CALM_GREEN}; font-weight: bold; }}
QLabel[role="card"] {{ background: {CARD}; border: 2px solid {LINE}; border-radius: 12px; padding: 16px; }}
QLabel[role="banner"] {{ background: #fff4d6; border: 2px solid {WARM}; border-radius: 12px; padding: 12px; }}
QLineEdit {{ background: {CARD}; border: 3px solid {LINE}; border-radius: 10px; padding: 10px;
             font-size: {TITLE_PX - 6}px; min-height: {BUTTON_MIN_PX}px; }}
QLineEdit:focus {{ border-color: {PRIMARY}; }}
QPushButton {{ background: {CARD}; color: {PRIMARY}; border: 3px solid {PRIMARY}; border-radius: 14px;
               padding: 12px 28px; font-size: {BODY_PX}px; font-weight: bold; min-height: {BUTTON_MIN_PX}px; }}
QPushButton:pressed {{ background: #dbe7f0; }}
QPushButton:disabled {{ color: #6b7785; border-color: #b8c0c8; background: #eceae4; }}
QPushButton[role="primary"] {{ background: {PRIMARY}; color: white; }}
QPushButton[role="primary"]:pressed {{ background: {PRIMARY_DOWN}; }}
QPushButton[role="primary"]:disabled {{ background: #9db3c4; color: #f4f4f4; border-color: #9db3c4; }}
QPushButton[role="help"] {{ color: {WARM}; border-color: {WARM}; }}
QPushButton[role="choice"] {{ text-align: left; padding: 0; min-height: 76px; color: {INK}; border-color: {LINE}; }}
QPushButton[role="language"] {{ color: {INK}; border-color: {LINE}; }}
QPushButton[role="language"]:checked {{ border-color: {PRIMARY}; background: #e3eef6; }}
QPushButton[role="choice"]:checked {{ border-color: {PRIMARY}; background: #e3eef6; }}
QPushButton[role="wrong"] {{ text-align: left; padding: 0; min-height: 76px; color: {ERROR}; border-color: {ERROR}; background: #fbeaea; }}
QPushButton[role="right"] {{ text-align: left; padding: 0; min-height: 76px; color: {CALM_GREEN}; border-color: {CALM_GREEN}; background: #e7f4ec; }}
QPushButton[role="key"] {{ min-height: {KEY_PX}px; min-width: {KEY_PX}px; padding: 0; color: {INK}; border-color: {LINE};
                           font-size: {BODY_PX + 4}px; }}
QPushButton[role="key"]:checked {{ background: #e3eef6; border-color: {PRIMARY}; }}
QFrame[role="picture"] {{ background: {CARD}; border: 2px solid {LINE}; border-radius: 16px; }}
QScrollArea {{ border: none; }}
"""


def install(app: QApplication) -> None:
    """Load the shipped fonts, make DejaVu Sans the application font, apply the style sheet.

    The fonts are set explicitly: with other fonts installed Qt's default family changes, and
    with none it silently draws empty boxes.
    """
    for font_file in sorted(FONTS_DIR.glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font_file))
    font = QFont("DejaVu Sans")
    font.setPixelSize(BODY_PX)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def set_role(widget, role: str) -> None:
    """Give a widget a style role and re-polish it so the change shows at once."""
    widget.setProperty("role", role)
    style = widget.style()
    for w in [widget, *widget.findChildren(QWidget)]:  # descendant rules (a button's label) too
        style.unpolish(w)
        style.polish(w)
