"""Which targets this kiosk sends to, from its settings, and `kiosk outbox ...`.

No target configured (the embedded default): no sender runs and nothing leaves the computer;
the outbox entries are still written with each consent, so a target configured later receives
everything from the first consent on.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.outbox.target import Target


def targets_from_settings(settings) -> list[Target]:
    """The central database, the FHIR server and the HL7 v2 listener the settings name, in
    that order (each imported only when configured)."""
    targets: list[Target] = []
    if settings.central_database:
        from kiosk.central.target import CentralTarget

        targets.append(CentralTarget(settings.central_database, kiosk_id=settings.kiosk_name()))
    if settings.fhir_url:
        from kiosk.interop.fhir import DEFAULT_MRN_SYSTEM
        from kiosk.interop.fhir_target import FhirTarget

        targets.append(FhirTarget(settings.fhir_url, mrn_system=settings.fhir_mrn_system or DEFAULT_MRN_SYSTEM))
    if settings.hl7_address:
        from kiosk.interop.mllp import Hl7Target

        targets.append(Hl7Target.from_address(  # "host:port", "[::1]:2575" too
            settings.hl7_address, sending_facility=settings.hl7_sending_facility,
            receiving_application=settings.hl7_receiving_application,
            receiving_facility=settings.hl7_receiving_facility))
    return targets


def start_sender(settings, data_dir: Path) -> BackgroundSender | None:
    """The running sender for this data folder's outbox, or None when no target is configured
    (nothing is imported or started then). Stop it with `.stop()` when the program ends."""
    if not target_names(settings):
        return None
    sender = BackgroundSender(settings, data_dir)
    sender.start()
    return sender


class BackgroundSender:
    """The outbox sender in a thread of its own, which also imports and makes it and its
    targets: sqlite-utils and psycopg take a quarter of a second and more to import, which the
    kiosk's first paint must not wait for."""

    def __init__(self, settings, data_dir: Path):
        import threading

        self.settings, self.data_dir = settings, Path(data_dir)
        self.sender = None  # the kiosk.outbox.sender.OutboxSender, once its thread has made it
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        if self.sender is not None:
            self.sender.stop(timeout)  # its rounds end
        self._thread.join(timeout)

    def _run(self) -> None:
        from kiosk.outbox.sender import OutboxSender
        from kiosk.store import open_database

        data_dir, settings = self.data_dir, self.settings
        self.sender = OutboxSender(lambda: open_database(data_dir / "kiosk.db"),
                                   lambda: targets_from_settings(settings), kiosk_id=settings.kiosk_name(),
                                   lock_path=data_dir / "outbox.lock")
        if not self._stopped.is_set():  # a stop that came before the sender was made
            self.sender.run_forever()


def target_names(settings) -> list[str]:
    """The names the configured targets keep their progress under (no import of the targets)."""
    return [name for name, value in (("central", settings.central_database), ("fhir", settings.fhir_url),
                                     ("hl7", settings.hl7_address)) if value]


def status_lines(db, names: list[str]) -> list[str]:
    """`kiosk outbox status`, in plain words: per target, sent, waiting and why."""
    from kiosk.store import outbox as store

    total = store.entry_count(db)
    if not names:
        return [f"No target is configured: consents stay on this computer only ({total} outbox "
                "entries are kept, for a target configured later)."]
    lines = []
    for name in names:
        status = store.target_status(db, name)
        line = f"{name}: {status.sent} sent, {status.waiting} waiting"
        if status.kept_back:
            line += f", {status.kept_back} SAMPLE entries kept on this computer"
        if status.waiting:
            line += f" (the oldest since {status.oldest_waiting_at})"
        if status.failed:
            line += f"; FAILED, held until retried (kiosk outbox retry): {status.head_error}"
        elif status.head_error:
            line += f"; last try failed: {status.head_error}; next try at {status.next_attempt_at}"
        lines.append(line)
    return lines


def run_outbox_command(data_dir: Path, command: str) -> int:
    """`kiosk outbox status|send|retry`: 0 when all is sent (status) or done; 1 when entries are
    waiting or failed; 2 when the settings or the database cannot be used."""
    from kiosk.settings import SettingsError, load_settings
    from kiosk.store import StoreError, open_database

    try:
        settings = load_settings(data_dir, check_files=False)
        db = open_database(data_dir / "kiosk.db")
    except (SettingsError, StoreError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    try:
        names = target_names(settings)
        if command == "retry":
            from kiosk.store import outbox as store

            print(f"{store.retry_failed(db)} failed entries will be tried again.")
        if command == "send":
            from kiosk.outbox.sender import OutboxSender

            sender = OutboxSender(lambda: open_database(data_dir / "kiosk.db"), targets_from_settings(settings),
                                  kiosk_id=settings.kiosk_name())
            print(f"{sender.run_once()} entries sent.")
        lines = status_lines(db, names)
        print("\n".join(lines))
        from kiosk.store import outbox as store

        behind = any(store.target_status(db, name).waiting for name in names)
        return 1 if behind else 0
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    finally:
        db.close()
