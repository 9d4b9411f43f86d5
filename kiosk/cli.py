"""`kiosk`: run the kiosk, or make a blank paper form. Qt is imported only to run the kiosk."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Vertebroplasty consent kiosk.")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder for settings.toml, kiosk.db and consents/ "
                             "(default: $KIOSK_DATA_DIR, else the platform's user data folder)")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="open the patient kiosk (the default)")
    run.add_argument("--windowed", action="store_true", help="a 1280x800 window instead of full screen")
    commands.add_parser("nurse", help="open the nurse station on this computer (same data folder)").add_argument(
        "--central", action="store_true", help="every kiosk's queue from the central PostgreSQL database "
                                               "(the central_database setting); sign-in stays on this computer")
    form = commands.add_parser("form", help="write a blank paper consent form as PDF")
    form.add_argument("--blank", action="store_true", required=True, help="a form to fill in by hand")
    form.add_argument("-o", "--output", type=Path, required=True, help="the PDF file to write")
    form.add_argument("--language", default=None, help="language code (default: the settings' default_language)")
    audit = commands.add_parser("audit", help="check the nurse station's audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_commands.add_parser("verify", help="recompute the audit chain in kiosk.db: exit 0 if "
                                             "intact, 4 naming the first changed, deleted or moved entry")
    commands.add_parser("doctor", help="check and repair the data folder: permissions, leftovers of "
                                       "interrupted saves, every PDF's SHA-256, the audit trail")
    verify = commands.add_parser("verify", help="check a consent PDF's seal and countersignature, and the "
                                                "database's copy: exit 0 if valid, 4 if altered or unsigned")
    verify.add_argument("pdf", type=Path, help="the consent PDF to check")
    verify.add_argument("--trust", type=Path, action="append", default=[],
                        help="a certificate (PEM or DER) to trust besides this kiosk's own; may be repeated")
    demo = commands.add_parser("demo", help="fill the data folder with SAMPLE consents for training "
                                             "(refuses a folder that holds real consents)")
    demo.add_argument("--consents", type=_demo_count, default=20, metavar="N",
                      help="how many sample consents to add (1 to 5000, default 20)")
    demo.add_argument("--seed", type=int, default=1, help="the same seed makes the same patients (default 1)")
    export = commands.add_parser("export", help="write consents as files for the health record")
    kinds = export.add_subparsers(dest="export_kind", required=True)
    fhir = kinds.add_parser("fhir", help="one FHIR R4 transaction Bundle (JSON) per consent")
    fhir.add_argument("--since", type=_day, required=True, metavar="YYYY-MM-DD",
                      help="consents saved on or after this day (in the settings' time zone)")
    fhir.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                      help="the folder to write <document_id>.json files into")
    outbox = commands.add_parser("outbox", help="what this kiosk has sent to the central database, the FHIR "
                                                 "server and the HL7 listener, and what is waiting")
    outbox.add_argument("outbox_command", choices=("status", "send", "retry"),
                        help="status: sent, waiting and failed per target (exit 1 if any waits); send: one "
                             "round now; retry: try failed entries again")
    parser.add_argument("--windowed", action="store_true", help=argparse.SUPPRESS)
    return parser


def _day(text: str):
    """A YYYY-MM-DD day (datetime is imported only for `kiosk export`: not on the kiosk's start-up)."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date as YYYY-MM-DD, not {text!r}") from None


def _demo_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to 5000, not {text!r}") from None
    if not 1 <= value <= 5000:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to 5000, not {value}")
    return value


def main(argv: list[str] | None = None) -> None:
    import os

    # Everything the kiosk creates (database, -wal/-shm, PDFs, keys, settings) is for its own
    # account only, whatever umask the session or service manager gave it.
    os.umask(0o077)
    args = build_parser().parse_args(argv)
    from kiosk.settings import default_data_dir

    data_dir = (args.data_dir or default_data_dir()).expanduser().resolve()
    if args.command == "form":
        sys.exit(write_blank_form(data_dir, args.output, args.language))
    if args.command == "audit":
        sys.exit(verify_audit_trail(data_dir))
    if args.command == "doctor":
        from kiosk.doctor import run_doctor

        sys.exit(run_doctor(data_dir))
    if args.command == "verify":
        from kiosk.verify import verify_pdf_file

        sys.exit(verify_pdf_file(data_dir, args.pdf, args.trust))
    if args.command == "demo":
        from kiosk.demo import run_demo

        sys.exit(run_demo(data_dir, args.consents, seed=args.seed))
    if args.command == "export":
        from kiosk.interop.export import run_export

        sys.exit(run_export(args, data_dir))
    if args.command == "outbox":
        from kiosk.outbox.config import run_outbox_command

        sys.exit(run_outbox_command(data_dir, args.outbox_command))
    if args.command == "nurse":
        from kiosk.app import run_nurse_station

        sys.exit(run_nurse_station(data_dir, central=args.central))
    from kiosk.app import run_kiosk

    sys.exit(run_kiosk(data_dir, windowed=args.windowed))


def write_blank_form(data_dir: Path, output: Path, language: str | None) -> int:
    """Write the blank paper form; returns an exit code, with a plain message on failure."""
    from kiosk.content import ContentError, load_pack
    from kiosk.documents import render_blank_form
    from kiosk.flow.record import blank_form_data
    from kiosk.settings import SettingsError, load_settings
    from kiosk.store import write_file_durably

    try:
        settings = load_settings(data_dir, check_files=False)  # the paper form works when the archive does not
        pack = load_pack(language or settings.default_language)
    except (SettingsError, ContentError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    pdf = render_blank_form(blank_form_data(pack), hospital_name=settings.hospital_name,
                            page_size=settings.page_size, labels=pack.pdf_labels)
    try:
        if output.exists():
            output.unlink()
        write_file_durably(output.resolve(), pdf)
    except OSError as error:
        print(f"kiosk: cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"Blank consent form written to {output}")
    return 0


def verify_audit_trail(data_dir: Path) -> int:
    """`kiosk audit verify`: 0 and "Audit trail intact: N entries." when the chain holds;
    4 with the entry that was changed, deleted or moved; 2 when there is no usable database."""
    from kiosk.store import StoreError, open_database
    from kiosk.store.audit import verify_audit

    path = data_dir / "kiosk.db"
    if not path.exists():
        print(f"kiosk: there is no database at {path}; check --data-dir.", file=sys.stderr)
        return 2
    try:  # read-only: the check never changes the file it checks
        with open_database(path, read_only=True) as db:
            report = verify_audit(db)
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    print(report.message)  # the answer either way, so on stdout
    return 0 if report.ok else 4
