"""What a screen reader is told about the kiosk: the accessibility tree as Qt exposes it.

Qt hands the same tree to AT-SPI on Linux (a real screen reader, such as Orca) and to
`QAccessible.queryAccessibleInterface` in the process; `controls()` walks the latter, so a
test can check, offscreen, that every control a patient can press has a name in the
patient's language. Names are given where the control is made (a button's name is its
text); labels are never named: a named QLabel hides its live text from AT-SPI.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAccessible

Role = QAccessible.Role
# What a patient can press, tick, type into or draw on.
INTERACTIVE = frozenset({Role.Button, Role.CheckBox, Role.RadioButton, Role.EditableText, Role.ComboBox,
                         Role.Slider, Role.SpinBox, Role.Canvas, Role.Graphic})


@dataclass(frozen=True)
class Node:
    """One visible object of the tree: its role, name and description as a screen reader reads them."""

    role: QAccessible.Role
    name: str
    description: str
    object: object  # the QObject behind it (a widget), for a test's message
    depth: int

    @property
    def interactive(self) -> bool:
        return self.role in INTERACTIVE


def tree(widget) -> list[Node]:
    """Every visible object under `widget` (itself first), depth first, as
    `QAccessible.queryAccessibleInterface(widget)` and `child(i)` give them."""
    nodes: list[Node] = []
    root = QAccessible.queryAccessibleInterface(widget)
    if root is None:
        return nodes
    stack = [(root, 0)]
    while stack:
        face, depth = stack.pop()
        if not face.isValid() or face.state().invisible:
            continue
        nodes.append(Node(face.role(), face.text(QAccessible.Text.Name) or "",
                          face.text(QAccessible.Text.Description) or "", face.object(), depth))
        children = [face.child(i) for i in range(face.childCount())]
        stack.extend((child, depth + 1) for child in reversed(children) if child is not None)
    return nodes


def unnamed_controls(widget) -> list[Node]:
    """The interactive objects under `widget` a screen reader could only call "button"."""
    return [node for node in tree(widget) if node.interactive and not node.name.strip()]
