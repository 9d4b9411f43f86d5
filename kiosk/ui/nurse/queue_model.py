"""The queue as a thin, read-only table model that fetches rows as they scroll into view."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from kiosk.review import ReviewError
from kiosk.review.queue import QueueRow, queue_count, queue_rows
from kiosk.review.when import short_time

PAGE = 100
COLUMNS = ("finished", "patient", "date_of_birth", "outcome", "flags", "review")  # queue.column_<name>
CENTRAL_COLUMNS = COLUMNS + ("kiosk",)  # a station on the central database: which kiosk took it
FLAG_COLOUR = "#a4262c"


class QueueModel(QAbstractTableModel):
    """`kiosk.review.queue.QueueRow`s of the nurse's context, `PAGE` at a time; every word
    (outcome, review, flags, headers) from the review layer's texts. `set_filter` starts again.
    A read the review layer refuses (the central database cannot be reached) leaves the rows
    as they were and its message in `problem`, for the page to show."""

    def __init__(self, ctx, flt, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.flt = flt
        self.columns = CENTRAL_COLUMNS if ctx.central is not None else COLUMNS
        self.headers = tuple(ctx.texts(f"queue.column_{name}") for name in self.columns)
        self.rows: list[QueueRow] = []
        self.total = 0
        self.problem = ""
        self.set_filter(flt)

    def set_filter(self, flt) -> None:
        self.flt = flt
        self._read(PAGE)

    def reload(self) -> None:
        """Read the same filter again (another process wrote), keeping as many rows loaded as
        before, so a nurse scrolled far down stays where she was."""
        self._read(max(PAGE, len(self.rows)))

    def _read(self, loaded: int) -> None:
        try:
            total = queue_count(self.ctx, self.flt)
            rows = queue_rows(self.ctx, self.flt, limit=loaded, offset=0)
        except ReviewError as error:
            self.problem = str(error)
            return
        self.problem = ""
        self.beginResetModel()
        self.total, self.rows = total, rows
        self.endResetModel()

    def row_of(self, document_id: str) -> int | None:
        """The row showing `document_id` among those loaded, or None."""
        return next((i for i, row in enumerate(self.rows) if row.document_id == document_id), None)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent=QModelIndex()):
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()):
        try:
            more = queue_rows(self.ctx, self.flt, limit=PAGE, offset=len(self.rows))
        except ReviewError as error:
            self.problem = str(error)
            return
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.UserRole:
            return row.document_id
        if role == Qt.ForegroundRole and index.column() == 4 and row.flags:
            from PySide6.QtGui import QColor

            return QColor(FLAG_COLOUR)
        return None

    def _text(self, row: QueueRow, column: int) -> str:
        if column == 0:
            return short_time(self.ctx.texts, row.time, self.ctx.now().date())  # this year's without the year
        return (row.patient_name, row.date_of_birth, row.outcome.text, row.flags_text, row.review_state.text,
                row.kiosk_id)[column - 1]

    def document_id(self, row: int) -> str:
        return self.rows[row].document_id
