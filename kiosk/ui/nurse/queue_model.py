"""The queue as a thin, read-only table model that fetches rows as they scroll into view."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

PAGE = 100
COLUMNS = ("Finished", "Patient", "Date of birth", "Outcome", "Flags", "Review")
OUTCOMES = {"consented": "Consented", "questions": "Questions for the doctor", "declined": "Declined",
            "abandoned": "Abandoned"}
REVIEW = {"new": "New", "seen": "Seen", "identity_checked": "Identity checked", "fully_signed": "Fully signed",
          "void": "Void"}


def flags_text(row: dict) -> str:
    parts = []
    if row.get("needs_doctor_count"):
        parts.append(f"\u26a0 {row['needs_doctor_count']} misunderstood")
    if row.get("help_requested"):
        parts.append("Asked for help")
    return ", ".join(parts)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not %b: Qt sets the C locale


def short_time(at: str, today: date) -> str:
    """ "25 Nov 14:05" (this year), "25 Nov 2025 14:05" (another year), from ISO 8601."""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at[:16].replace("T", " ")
    day = f"{when.day} {MONTHS[when.month - 1]}" + ("" if when.year == today.year else f" {when.year}")
    return f"{day} {when:%H:%M}"


class QueueModel(QAbstractTableModel):
    """Rows from `kiosk.store.queue.query_queue`, `PAGE` at a time; `set_filter` starts again."""

    def __init__(self, db, flt, parent=None, *, today=None):
        super().__init__(parent)
        self.db = db
        self.flt = flt
        self.today = today or date.today  # dates of this year are shown without the year
        self.rows: list[dict] = []
        self.total = 0
        self.set_filter(flt)

    def set_filter(self, flt) -> None:
        from kiosk.review.queue import count_queue, query_queue

        self.beginResetModel()
        self.flt = flt
        self.total = count_queue(self.db, flt)
        self.rows = query_queue(self.db, flt, limit=PAGE, offset=0)
        self.endResetModel()

    def reload(self) -> None:
        """Read the same filter again (another process wrote), keeping as many rows loaded as
        before, so a nurse scrolled far down stays where she was."""
        from kiosk.review.queue import count_queue, query_queue

        loaded = max(PAGE, len(self.rows))
        self.beginResetModel()
        self.total = count_queue(self.db, self.flt)
        self.rows = query_queue(self.db, self.flt, limit=loaded, offset=0)
        self.endResetModel()

    def row_of(self, document_id: str) -> int | None:
        """The row showing `document_id` among those loaded, or None."""
        return next((i for i, row in enumerate(self.rows) if row["document_id"] == document_id), None)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent=QModelIndex()):
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()):
        from kiosk.review.queue import query_queue

        more = query_queue(self.db, self.flt, limit=PAGE, offset=len(self.rows))
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            column = index.column()
            if column == 0:
                return short_time(row.get("finished_at") or row.get("started_at") or "", self.today())
            if column == 1:
                return row.get("patient_name") or ""
            if column == 2:
                return row.get("patient_dob") or ""
            if column == 3:
                return OUTCOMES.get(row.get("outcome"), row.get("outcome") or "")
            if column == 4:
                return flags_text(row)
            if column == 5:
                return "Void" if row.get("void") else REVIEW.get(row.get("review_state"), row.get("review_state") or "")
        if role == Qt.UserRole:
            return row["document_id"]
        if role == Qt.ForegroundRole and index.column() == 4 and flags_text(row):
            from PySide6.QtGui import QColor

            return QColor("#a4262c")
        return None

    def document_id(self, row: int) -> str:
        return self.rows[row]["document_id"]
