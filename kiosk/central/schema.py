"""The central PostgreSQL database's tables, made and kept up to date by ``migrate``.

One database for a hospital: every kiosk hands its consents (the row the nurse queue needs,
the full record as jsonb, the PDF's bytes) and its audit entries to it through its outbox,
and every nurse station pointed at it reads one queue. Tables:

- ``kiosks``: each kiosk id seen, when first and last.
- ``consents``: one row per consent (``document_id``, a UUID made by the kiosk, is the key),
  the kiosk's queue columns (kiosk.store's ``consents`` row) typed, ``record`` (jsonb), the PDF
  (bytea) with its SHA-256 and size - a CHECK refuses a PDF whose bytes do not hash to
  ``pdf_sha256`` - and the review columns, the countersigned PDF included.
- ``review_events``: every audit entry a kiosk sends (viewed, identity checked,
  countersigned, voided, printed, nurse added ...) keyed by the outbox's ``event_id``, and
  every action taken at the central database itself (``kiosk_id`` NULL, ``event_id``
  ``central/<uuid>``). It is also the audit trail: there is no separate ``audit_entries``.

Search: ``search_text``, a generated column holding the patient's, representative's and
signer's names, the date of birth, the MRN and the document id without accents or case
(``kiosk_fold``: unaccent + lower), with a pg_trgm GIN index, so that "muller" finds
"Müller" and "Marg" finds "Margaret" (any part of a name, three letters or more through the
index; shorter ones walk the queue's time index).

``migrate`` is versioned (``central_schema``), each step in the same transaction as its
version row, under an advisory lock so that ten kiosks starting at once migrate once.
Needs the ``unaccent`` and ``pg_trgm`` extensions (Debian ships them in ``postgresql-15``;
both are "trusted": the database's owner may create them without being a superuser).
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from kiosk.outcomes import OUTCOMES


class CentralError(Exception):
    """The central database refused or could not do something; the message says why."""


def first_line(error: BaseException) -> str:
    """The first line of a database error: what the server said, without its hints."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# An arbitrary constant: the advisory lock that serialises migrations across kiosks.
_MIGRATION_LOCK = 0x6B696F736B  # "kiosk"

_STEPS: list[tuple[int, str, Callable[[psycopg.Connection], None]]] = []


def _step(version: int, description: str):
    def register(function):
        _STEPS.append((version, description, function))
        return function
    return register


def migrate(conn: psycopg.Connection) -> list[int]:
    """Bring the central database's schema up to date; the versions applied (empty: none).

    Re-running is a no-op. Runs in one transaction, committed before returning (call it on a
    connection with no transaction open). A missing extension raises ``CentralError``
    naming the package to install; nothing is half-made.
    """
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS central_schema (version integer PRIMARY KEY,"
            " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM central_schema")}
        for version, description, function in sorted(_STEPS, key=lambda s: s[0]):
            if version in done:
                continue
            function(conn)
            conn.execute("INSERT INTO central_schema (version, description) VALUES (%s, %s)",
                         [version, description])
            applied.append(version)
    return applied


def schema_version(conn: psycopg.Connection) -> int:
    """The newest schema version applied, 0 for a database ``migrate`` never touched."""
    if conn.execute("SELECT to_regclass('central_schema')").fetchone()[0] is None:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM central_schema").fetchone()[0]


def _create_extension(conn: psycopg.Connection, name: str) -> None:
    available = conn.execute(
        "SELECT 1 FROM pg_available_extensions WHERE name = %s", [name]).fetchone()
    if available is None:
        raise CentralError(
            f"The central PostgreSQL server has no '{name}' extension, which the consent "
            "search needs. On Debian it comes with the postgresql-15 package "
            "(postgresql-contrib elsewhere); install it on the database server and start "
            "the kiosk again. Nothing was changed."
        )
    conn.execute(f"CREATE EXTENSION IF NOT EXISTS {name} SCHEMA public")


_OUTCOME_LIST = ", ".join(f"'{o}'" for o in OUTCOMES)
_SEARCHED = ("patient_name", "representative_name", "signer_name", "patient_dob", "mrn")


@_step(1, "kiosks, consents with their PDFs, review events, name search")
def _m001(conn: psycopg.Connection) -> None:
    _create_extension(conn, "unaccent")
    _create_extension(conn, "pg_trgm")
    # unaccent() is only STABLE (its dictionary could change); an index needs IMMUTABLE, so
    # this wrapper names the dictionary itself - the usual, documented way round it.
    conn.execute(
        "CREATE FUNCTION kiosk_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT"
        " PARALLEL SAFE AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$"
    )
    conn.execute(
        """
        CREATE TABLE kiosks (
            id text PRIMARY KEY CHECK (btrim(id) <> ''),
            first_seen timestamptz NOT NULL DEFAULT now(),
            last_seen timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    searched = " || ' ' || ".join(f"coalesce({c}, '')" for c in _SEARCHED)
    conn.execute(
        f"""
        CREATE TABLE consents (
            document_id uuid PRIMARY KEY,
            kiosk_id text NOT NULL REFERENCES kiosks (id),
            started_at timestamptz,
            finished_at timestamptz,
            saved_at timestamptz,
            queue_time timestamptz GENERATED ALWAYS AS (coalesce(finished_at, started_at)) STORED,
            outcome text NOT NULL CHECK (outcome IN ({_OUTCOME_LIST})),
            patient_name text,
            patient_dob text,
            representative_name text,
            representative_relationship text,
            signer_name text,
            signed_at timestamptz,
            language text,
            content_id text,
            content_version text,
            content_sha256 text,
            pdf bytea,
            pdf_sha256 text,
            pdf_size integer,
            flags jsonb NOT NULL DEFAULT '[]',
            needs_doctor_count integer NOT NULL DEFAULT 0,
            help_requested boolean NOT NULL DEFAULT false,
            review_state text NOT NULL DEFAULT 'new',
            mrn text,
            identity_checked_by text,
            identity_checked_at timestamptz,
            countersigned_pdf bytea,
            countersigned_pdf_sha256 text,
            countersigned_by text,
            countersigned_role text,
            countersigned_account_id text,
            countersigned_at timestamptz,
            countersigned_where text,
            countersignature jsonb,
            void boolean NOT NULL DEFAULT false,
            void_reason text,
            voided_by text,
            voided_at timestamptz,
            record jsonb NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            search_text text GENERATED ALWAYS AS
                (kiosk_fold({searched} || ' ' || document_id::text)) STORED,
            CONSTRAINT consents_pdf_matches_its_sha256 CHECK (pdf IS NULL
                OR (pdf_sha256 = encode(sha256(pdf), 'hex') AND pdf_size = length(pdf))),
            CONSTRAINT consents_pdf_unless_abandoned CHECK (outcome = 'abandoned' OR pdf IS NOT NULL),
            CONSTRAINT consents_countersigned_pdf_matches_its_sha256 CHECK (countersigned_pdf IS NULL
                OR countersigned_pdf_sha256 = encode(sha256(countersigned_pdf), 'hex'))
        )
        """
    )
    # The queue's order, newest first, with the document id breaking ties (stable pages).
    conn.execute("CREATE INDEX consents_queue ON consents (queue_time DESC, document_id DESC)")
    conn.execute(
        "CREATE INDEX consents_queue_kiosk ON consents (kiosk_id, queue_time DESC, document_id DESC)")
    conn.execute("CREATE INDEX consents_search ON consents USING gin (search_text gin_trgm_ops)")
    conn.execute(
        """
        CREATE TABLE review_events (
            event_id text PRIMARY KEY,
            document_id text,
            kiosk_id text REFERENCES kiosks (id),
            audit_id bigint,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            detail jsonb NOT NULL DEFAULT '{}',
            entry_hash text,
            received_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    conn.execute("CREATE INDEX review_events_document ON review_events (document_id, at)")
    conn.execute("CREATE INDEX review_events_kiosk_audit ON review_events (kiosk_id, audit_id)")
