"""The consent archive: SQLite through sqlite-utils, plus the consent PDFs on disk.

No Qt here. Durability and threading rules are stated in each module:
``database`` (WAL, synchronous=FULL, one thread per connection), ``files`` (durable,
never-overwriting writes), ``consents`` (when a consent counts as saved), ``help``.

The nurse station's data layer is imported from its own modules (not re-exported here, so
the patient kiosk never loads Argon2): ``nurses`` (accounts, PINs, lockout), ``audit`` (the
tamper-evident trail), ``review`` (identity check, countersignature, void, help answered),
``queue`` (filter, search, dashboard, CSV). Each of their changes is one ``BEGIN
IMMEDIATE`` transaction together with its audit entry (``transactions``).

    db = open_database(settings.database_path)
    saved = archive_consent(db, settings.pdf_dir, record, pdf_bytes)
"""

from kiosk.store.consents import (
    AlreadySavedError,
    SavedConsent,
    archive_consent,
    get_consent,
    list_consents,
)
from kiosk.store.database import StoreError, open_database
from kiosk.store.files import write_file_durably
from kiosk.store.help import HelpCalls, list_help_requests, record_help_request

__all__ = [
    "HelpCalls",
    "list_help_requests",
    "AlreadySavedError",
    "SavedConsent",
    "StoreError",
    "archive_consent",
    "get_consent",
    "list_consents",
    "open_database",
    "record_help_request",
    "write_file_durably",
]
