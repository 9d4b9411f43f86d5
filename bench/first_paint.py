"""Child process for bench_startup.py: start, paint the first screen, report, exit.

    python bench/first_paint.py bare|kiosk DATA_DIR
"""

import sys
import time

T0 = time.perf_counter()


def report_on_first_paint(app, widget):
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint:
                app.removeEventFilter(self)
                print(f"painted {time.perf_counter() - T0:.6f}", flush=True)
                QTimer.singleShot(0, app.quit)  # let start-up work queued after the paint finish
            return False

    catcher = FirstPaint()
    widget.installEventFilter(catcher)
    return catcher


def main():
    which, data_dir = sys.argv[1], sys.argv[2]
    if which == "bare":
        from PySide6.QtWidgets import QApplication, QLabel

        app = QApplication(sys.argv[:1])
        window = QLabel("Hello")
        window.resize(1280, 800)
        window.show()
    else:
        from pathlib import Path

        from kiosk.app import create_kiosk

        app, window = create_kiosk(Path(data_dir), windowed=True)
    keep = report_on_first_paint(app, window)  # noqa: F841
    sys.exit(app.exec())


main()
