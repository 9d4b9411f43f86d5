"""A screen reader's hands on the kiosk, through AT-SPI (run by tests/ui/test_atspi.py).

Runs on Debian's own /usr/bin/python3 with python3-pyatspi (not in the kiosk's environment),
on the same D-Bus session as a kiosk started with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1. It
finds the kiosk on the AT-SPI desktop, then finds each control by ROLE and NAME, as Orca
would, and presses it with doAction: Start, "I am the patient", the on-screen keyboard's
letters for the name (read back from the name field's Text interface), Next, the date pad's
digits, Next, then Next through the education pages until the first question's prompt is a
label on screen. A page ignores taps until it has been on screen for 900 ms: a press is
repeated until it takes effect, within a deadline.

    /usr/bin/python3 tests/ui/atspi_client.py WORDS_JSON

WORDS_JSON names the window and the words to look for (see test_atspi.py). Prints one line of
JSON: what was found and pressed, in order, and whether the first question was reached.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi

PUSH, CHECK, ENTRY, LABEL = (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_ENTRY,
                             pyatspi.ROLE_LABEL)
BUTTONS = (PUSH, CHECK, pyatspi.ROLE_TOGGLE_BUTTON)
FIELDS = (ENTRY, pyatspi.ROLE_TEXT)  # Qt gives a QLineEdit either, by version
done: list[dict] = []  # every press, in order


def showing(obj) -> bool:
    try:
        return obj.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:  # noqa: BLE001 - a widget deleted under us (a page replaced)
        return False


def walk(obj):
    """Every showing object under `obj`; a hidden page's whole subtree is skipped."""
    stack = [obj]
    while stack:
        node = stack.pop()
        yield node
        try:
            children = [node.getChildAtIndex(i) for i in range(node.childCount)]
        except Exception:  # noqa: BLE001
            continue
        stack.extend(child for child in reversed(children) if child is not None and showing(child))


def the_kiosk(window_title: str, timeout: float = 20.0):
    """The kiosk's top-level frame on the AT-SPI desktop, and how long it took to appear."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is None:
                continue
            for frame in app:
                if frame is not None and frame.name == window_title and showing(frame):
                    return frame, time.monotonic() - started
        time.sleep(0.1)
    raise SystemExit(json.dumps({"error": f"no {window_title!r} window on the AT-SPI desktop", "done": done}))


def find(frame, roles, name: str | None = None, *, fold: bool = False):
    """The first showing object of one of `roles` named `name` (case folded with `fold`)."""
    for node in walk(frame):
        try:
            if node.getRole() not in roles:
                continue
            label = node.name
        except Exception:  # noqa: BLE001
            continue
        if name is None or label == name or (fold and label.casefold() == name.casefold()):
            return node
    return None


def wait_for(frame, roles, name, timeout: float = 10.0, **how):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        node = find(frame, roles, name, **how)
        if node is not None:
            return node
        time.sleep(0.05)
    raise AssertionError(f"no {name!r} on screen")


def press(frame, roles, name: str, took_effect, timeout: float = 15.0, **how) -> dict:
    """Press the control named `name` until `took_effect()` (the page takes taps 0.9 s after
    it is drawn); returns what was done."""
    started = time.monotonic()
    tries = 0
    while time.monotonic() - started < timeout:
        node = find(frame, roles, name, **how)
        if node is not None:
            action = node.queryAction()
            action.doAction(0)
            tries += 1
            until = time.monotonic() + 0.35
            while time.monotonic() < until:
                if took_effect():
                    entry = {"pressed": name, "role": node.getRoleName(), "action": action.getName(0),
                             "presses": tries, "ms": round(1000 * (time.monotonic() - started))}
                    done.append(entry)
                    return entry
                time.sleep(0.03)
        else:
            time.sleep(0.05)
    raise AssertionError(f"pressing {name!r} {tries} times changed nothing: {json.dumps(done[-3:])}")


def main() -> None:
    words = json.loads(sys.argv[1])
    frame, appeared_s = the_kiosk(words["window"])
    result = {"appeared_s": round(appeared_s, 2), "done": done, "reached_question": False}
    started = time.monotonic()

    def gone(node):
        return lambda: not showing(node)

    try:
        start = wait_for(frame, BUTTONS, words["start"], timeout=20)
        press(frame, BUTTONS, words["start"], gone(start))
        signer = wait_for(frame, BUTTONS, words["patient"])
        press(frame, BUTTONS, words["patient"], gone(signer))

        field = wait_for(frame, FIELDS, words["field"])
        text = field.queryText()
        typed = lambda: text.getText(0, -1)  # noqa: E731
        result["field"] = {"role": field.getRoleName(), "name": field.name}
        for char in words["name"]:
            before = typed()
            key = words["space"] if char == " " else char
            press(frame, BUTTONS, key, lambda: typed() != before, fold=True)
        result["typed"] = typed()
        next_button = wait_for(frame, BUTTONS, words["next"])
        press(frame, BUTTONS, words["next"], gone(next_button))

        wait_for(frame, BUTTONS, words["day_box"])  # the date pad's day box, "Day: not filled in yet"
        for digit in words["date"]:
            before = [n.name for n in walk(frame) if n.getRole() == CHECK]
            press(frame, (PUSH,), digit, lambda: [n.name for n in walk(frame) if n.getRole() == CHECK] != before)
        result["date_boxes"] = [n.name for n in walk(frame) if n.getRole() == CHECK]
        next_button = wait_for(frame, BUTTONS, words["next"])
        press(frame, BUTTONS, words["next"], gone(next_button))

        pages = 0
        while pages < 60:
            if find(frame, (LABEL,), words["question"]) is not None:
                result["reached_question"] = True
                break
            next_button = wait_for(frame, BUTTONS, words["next"])
            press(frame, BUTTONS, words["next"], gone(next_button))
            pages += 1
        result["education_pages"] = pages
        result["question_choices"] = [n.name for n in walk(frame) if n.getRole() in BUTTONS
                                      and n.name in words.get("choices", [])]
    except AssertionError as error:
        result["error"] = str(error)
    result["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
