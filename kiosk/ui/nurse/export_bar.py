"""CSV export for administrators: "Export all" or "Export the filtered list", and the message
that says which filter, how many consents and where the file went (kiosk.review.export)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.review import ReviewError
from kiosk.review import export
from kiosk.ui.nurse.words import button, label


class ExportBar(QWidget):
    """Two buttons and a message. The CSV is written by a child process that the worker waits
    for (its own read-only connection; 100,000 rows take seconds and, in a thread, would hold
    the GIL long enough to stall the screen); the audit entry is written on the UI thread."""

    def __init__(self, page, parent=None):
        super().__init__(parent)
        self.page = page  # the station's NursePage
        t = page.review.texts
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.all_button = button(t("export.all"), None, lambda: self.export("all"))
        self.filtered_button = button(t("export.filtered"), None, lambda: self.export("filtered"))
        self.message = label("")
        row.addWidget(self.all_button)
        row.addWidget(self.filtered_button)
        row.addWidget(self.message, 1)
        self.setVisible(page.review.account.is_admin)

    def export(self, scope: str) -> None:
        ctx = self.page.review
        flt, path = self.page.queue_filter(), export.export_path(ctx)
        db_file, texts = self.page.database_file, ctx.texts
        self.message.setText("")
        chosen = self.all_button if scope == "all" else self.filtered_button

        def written(result) -> None:
            try:
                text = export.record_export(ctx, result).message  # audited on the UI thread's connection
            except ReviewError as error:
                text = str(error)
            self._say(text)

        self.page.operations.run(
            "export", lambda: export.write_export_apart(db_file, flt, scope=scope, path=path, texts=texts),
            success=written, failure=lambda error: self._say(str(error)),
            busy=(chosen, texts("busy.exporting")))

    def _say(self, text: str) -> None:
        if isValid(self):
            self.message.setText(text)
