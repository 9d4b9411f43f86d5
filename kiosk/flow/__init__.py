"""The consent journey as data: steps, navigation rules, results and the record. No Qt here.

Names are re-exported lazily (PEP 562) so that importing one small module, such as
`kiosk.flow.clock` on the kiosk's start-up path, does not load the whole package.
"""

from importlib import import_module

_EXPORTS = {
    "Clock": "kiosk.flow.clock", "make_clock": "kiosk.flow.clock", "stamp": "kiosk.flow.clock",
    "build_record": "kiosk.flow.record", "derive_flags": "kiosk.flow.record",
    "has_identity": "kiosk.flow.record", "question_status": "kiosk.flow.record",
    "blank_form_data": "kiosk.flow.record",
    "Session": "kiosk.flow.session",
    "ConsentTask": "kiosk.flow.task", "DuplicateStepError": "kiosk.flow.task",
    "build_consent_task": "kiosk.flow.task",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kiosk.flow' has no attribute {name!r}")
