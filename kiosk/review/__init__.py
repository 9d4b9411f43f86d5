"""The nurse station's review layer: plain functions over the store, no Qt (shaped like
``kiosk.finalise``). Nurse pages get a frozen ``ReviewContext`` when a nurse signs in and call
these instead of reaching into the store:

- ``session``: ``sign_in`` (gives the nurse's ``ReviewContext``), ``sign_out``;
- ``queue``: ``queue_rows``, ``queue_count``, ``open_calls``, ``filter_choices``;
- ``rows``: ``consent_detail``, ``history`` - typed frozen rows, every code with its text;
- ``actions``: ``view``, ``check_identity``, ``countersign``, ``void``, ``acknowledge_call``;
- ``printing``: ``print_consent`` (a void consent as a copy marked VOID), ``print_blank_form``,
  ``printers``;
- ``export``: ``export_csv`` (all or filtered, saying which and how many);
- ``accounts``: create, remove, make administrator, unlock;
- ``codes`` and ``texts``: outcomes, review states, flags and roles with their words, from
  translations/nurse/<language>.toml.

A refusal is a ``ReviewError`` whose message is for the nurse. Who did what is stored as the
account ("nurse:<id>") and shown by name. Each module states its threading rule: the slow
parts (rendering, stamping, printing, exporting) are pure functions a worker thread may run;
every SQLite write is a quick call on the thread that opened ``ctx.db``.
"""

from kiosk.review.context import Account, ReviewContext
from kiosk.review.rows import ConsentDetail, HistoryLine, ReviewError, consent_detail, history

__all__ = ["Account", "ConsentDetail", "HistoryLine", "ReviewContext", "ReviewError", "consent_detail",
           "history"]
