"""`kiosk outbox status|send|retry` and the sender the kiosk starts, end to end: a data folder
whose settings name an HL7 v2 listener (a real one on loopback), consents saved the kiosk's
way, and what IT sees at each step. The other targets are configured the same way
(kiosk.outbox.config) and have their own tests against real servers."""

from __future__ import annotations

import time
import uuid

from kiosk.outbox.config import start_sender
from kiosk.settings import load_settings
from kiosk.store import archive_consent, open_database
from tests.cli_runs import kiosk_in_process, kiosk_process
from tests.interop.mllp_listener import MllpListener
from tests.store.records import PDF, consent_record


def data_folder(tmp_path, port: int):
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(f'hospital_name = "St Elsewhere"\nkiosk_id = "ward-3"\n'
                                        f'[hl7]\naddress = "127.0.0.1:{port}"\nreceiving_facility = "STE"\n')
    return data


def save(data) -> str:
    record = consent_record(document_id=str(uuid.uuid4()))
    with open_database(data / "kiosk.db") as db:
        archive_consent(db, data / "consents", record, PDF)
    return record["document_id"]


def test_it_sees_what_waits_sends_it_and_retries_what_was_refused(tmp_path):
    with MllpListener() as listener:
        data = data_folder(tmp_path, listener.port)
        first, second = save(data), save(data)
        waiting = kiosk_process("--data-dir", str(data), "outbox", "status")  # a real process, as IT runs it
        assert waiting.returncode == 1, waiting.stderr
        assert waiting.stdout.startswith("hl7: 0 sent, 2 waiting (the oldest since ")
        sent = kiosk_in_process("--data-dir", str(data), "outbox", "send")
        assert sent.returncode == 0 and "2 entries sent." in sent.stdout and "hl7: 2 sent, 0 waiting" in sent.stdout
        assert len(listener.messages) == 2  # in the order they were saved
        assert first in listener.messages[0] and second in listener.messages[1]
        assert "|STE|" in listener.messages[0].split("\r")[0]  # MSH-6 from the settings
        listener.answer = "AE"
        third = save(data)
        refused = kiosk_in_process("--data-dir", str(data), "outbox", "send")
        assert refused.returncode == 1 and "0 entries sent." in refused.stdout
        assert "hl7: 2 sent, 1 waiting" in refused.stdout and "FAILED, held until retried" in refused.stdout
        listener.answer = "AA"
        again = kiosk_in_process("--data-dir", str(data), "outbox", "send")
        assert "0 entries sent." in again.stdout  # failed for good: not by itself
        retried = kiosk_in_process("--data-dir", str(data), "outbox", "retry")
        assert retried.returncode == 1 and "1 failed entries will be tried again." in retried.stdout
        done = kiosk_in_process("--data-dir", str(data), "outbox", "send")
        assert done.returncode == 0 and "hl7: 3 sent, 0 waiting" in done.stdout
        assert third in listener.messages[-1]


def test_no_target_no_sender_and_the_status_says_so(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    save(data)
    assert start_sender(load_settings(data), data) is None
    status = kiosk_in_process("--data-dir", str(data), "outbox", "status")
    assert status.returncode == 0
    assert status.stdout.strip() == ("No target is configured: consents stay on this computer only (1 outbox "
                                     "entries are kept, for a target configured later).")


def test_the_sender_the_kiosk_starts_delivers_what_is_saved_meanwhile(tmp_path):
    with MllpListener() as listener:
        data = data_folder(tmp_path, listener.port)
        sender = start_sender(load_settings(data), data)
        try:
            document_id = save(data)
            sender.wake()
            deadline = time.monotonic() + 15
            while not listener.messages and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            sender.stop()
        assert len(listener.messages) == 1 and document_id in listener.messages[0]
        assert (data / "outbox.lock").exists()
