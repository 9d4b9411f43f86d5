"""The consent journey as data: steps, navigation rules, results and the record. No Qt here."""

from kiosk.flow.clock import Clock, make_clock, stamp
from kiosk.flow.record import build_record, derive_flags, has_identity, question_status
from kiosk.flow.session import Session
from kiosk.flow.task import ConsentTask, DuplicateStepError, build_consent_task

__all__ = [
    "Clock", "ConsentTask", "DuplicateStepError", "Session", "build_consent_task", "build_record",
    "derive_flags", "has_identity", "make_clock", "question_status", "stamp",
]
