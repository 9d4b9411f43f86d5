"""Name entry that forgives (issue 10, item 4): Clear (and "Put it back"), Delete held down,
a cursor that is always drawn, the length limit while typing, capitals that a habitual Shift
does not undo, and the idle prompt giving the name back unselected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.flow.identity import MAX_NAME_LENGTH
from kiosk.ui.pages.identity import NamePage
from kiosk.ui.theme import PRIMARY
from tests.ui.conftest import page, tap, type_on_keyboard
from tests.ui.journey import start


def name_page(window) -> NamePage:
    start(window)
    tap(page(window).choices["patient"])
    current = page(window)
    assert isinstance(current, NamePage)
    return current


def test_after_are_you_still_there_yes_and_a_letter_appends_the_letter(window, real_pack):
    current = name_page(window)
    type_on_keyboard(current.keyboard, "A")
    window.idle.idle.emit()  # two minutes without a touch, without waiting them out
    assert window.prompt.isVisible()
    tap(window.prompt.stay_button)
    assert not window.prompt.isVisible()
    assert not current.field.hasSelectedText()
    tap(current.keyboard.key_for("n"))
    assert current.field.text() == "An"


def test_clear_empties_the_name_and_put_it_back_undoes_it(window, real_pack):
    current = name_page(window)
    keyboard = current.keyboard
    type_on_keyboard(keyboard, "Edith Clarke")
    tap(keyboard.clear_key)
    assert current.field.text() == ""
    assert keyboard.clear_key.text() == real_pack.ui("key_undo_clear")
    assert keyboard.key_for("e").text() == "E", "a new name starts with a capital"
    tap(keyboard.clear_key)
    assert current.field.text() == "Edith Clarke" and keyboard.clear_key.text() == real_pack.ui("key_clear")
    tap(keyboard.clear_key)
    type_on_keyboard(keyboard, "Ada")
    assert keyboard.clear_key.text() == real_pack.ui("key_clear"), "once typing starts, Clear is Clear again"
    assert current.field.text() == "Ada"


def test_delete_held_down_keeps_deleting_until_let_go(make_window, qtbot):
    window = make_window()
    current = name_page(window)
    delete = current.keyboard.backspace_key
    delete.setAutoRepeatDelay(20)  # the kiosk's 500 ms and 90 ms, shortened: nothing is waited out
    delete.setAutoRepeatInterval(5)
    current.field.setText("Edith Clarke")
    QApplication.processEvents()
    QTest.mousePress(delete, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(current.field.text()) <= 6, timeout=3000)
    QTest.mouseRelease(delete, Qt.LeftButton)
    left = current.field.text()
    assert "Edith Clarke".startswith(left) and len(left) <= 6
    QApplication.processEvents()
    assert current.field.text() == left, "nothing more once let go"


def test_the_length_limit_holds_while_typing_and_says_so_kindly(window, real_pack):
    current = name_page(window)
    current.field.setText("A" * (MAX_NAME_LENGTH - 1))
    tap(current.keyboard.key_for("b"))
    assert len(current.field.text()) == MAX_NAME_LENGTH and current.error.text() == ""
    tap(current.keyboard.key_for("c"))
    assert len(current.field.text()) == MAX_NAME_LENGTH
    assert current.error.text() == real_pack.ui("name_limit_reached", limit=MAX_NAME_LENGTH)
    assert current.error.isVisible()
    tap(current.keyboard.backspace_key)
    assert current.error.text() == "" and len(current.field.text()) == MAX_NAME_LENGTH - 1


def test_a_habitual_shift_keeps_the_capital_and_a_second_gives_a_small_letter(window):
    current = name_page(window)
    keyboard = current.keyboard
    tap(keyboard.shift_key)  # out of habit, before a capital that was coming anyway
    tap(keyboard.key_for("e"))
    tap(keyboard.key_for("d"))
    tap(keyboard.space_key)
    tap(keyboard.shift_key)
    tap(keyboard.shift_key)  # twice: a small letter at a word's start ("van")
    tap(keyboard.key_for("v"))
    tap(keyboard.shift_key)  # in a word: one capital, then small again
    tap(keyboard.key_for("a"))
    tap(keyboard.key_for("n"))
    assert current.field.text() == "Ed vAn"


def test_the_cursor_is_drawn_even_when_the_window_is_not_active(window):
    current = name_page(window)
    type_on_keyboard(current.keyboard, "Edith")
    current.field.setCursorPosition(2)  # a tap in the field moves it to correct a letter
    window.clearFocus()
    current.field.clearFocus()  # as in a kiosk with no window manager: nothing has focus
    QApplication.processEvents()
    image = current.field.grab().toImage()
    bar = current.field.cursorRect()
    x, y = bar.center().x(), bar.center().y()
    assert QColor(image.pixel(x, y)).name() == QColor(PRIMARY).name()
    assert QColor(image.pixel(x, 4)).name() != QColor(PRIMARY).name(), "a bar, not a filled box"
