"""`kiosk demo --consents N`: a data folder filled with SAMPLE consents, for training nurses
and for trying the nurse station. No Qt here.

Every consent is made the kiosk's own way: a `kiosk.flow.Session` walked through the real
task (`kiosk.flow.walk.walk_session`), frozen and sealed by `prepare_consent` (with
``sample=True``: the record says ``"sample": true`` and every page of the PDF says SAMPLE)
and stored by `save_consent`; an abandoned session is saved without a PDF, as the kiosk does
on a timeout. Calls for a nurse go through `record_help_request`, and the nurses' work
(viewing, identity checks, countersignatures, voids, answered calls) through
`kiosk.store.review`, so the audit trail, its anchor file and the seals are all real. The
events are replayed in time order over the last days, ending before now.

It refuses a folder that holds a single real consent, and then changes nothing.
"""

from __future__ import annotations

import random
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.outcomes import ABANDONED, CONSENTED, DECLINED, QUESTIONS

MAX_CONSENTS = 5000

LATIN = [
    "Margaret O'Brien", "José Núñez García", "Hélène Lefèvre", "Jürgen Schröder", "Małgorzata Wiśniewska",
    "Gülşen Öztürk", "Siobhán Ní Bhriain", "Nguyễn Thị Thảo", "Anne-Marie Dubois", "Åsa Østergaard",
    "Zoë Brontë", "Ángel López-Martínez", "Łucja Wójcik", "Çağrı Yılmaz", "Inés Pérez", "Dorothy Evans",
    "William MacDonald", "Seán Murphy", "François D'Angelo", "Begoña Ibáñez", "Edith Clarke", "Chidi Okafor",
]  # fmt: skip
GREEK = ["Γεώργιος Παπαδόπουλος", "Μαρία Κωνσταντίνου", "Ελένη Νικολάου", "Δημήτρης Οικονόμου",
         "Αικατερίνη Γεωργίου", "Ιωάννης Αλεξίου"]  # fmt: skip
CYRILLIC = ["Ольга Петрова", "Иван Смирнов", "Наталія Коваленко", "Людмила Иванова", "Сергей Кузнецов",
            "Драган Јовановић"]  # fmt: skip
ARABIC = ["محمد الحسن", "فاطمة الزهراء", "أحمد عبد الله", "ليلى حداد", "يوسف منصور"]
HEBREW = ["דוד כהן", "שרה לוי", "יעקב מזרחי", "רחל אברהם", "משה פרץ"]
NAMES = {"Latin": LATIN, "Greek": GREEK, "Cyrillic": CYRILLIC, "Arabic": ARABIC, "Hebrew": HEBREW}
SCRIPT_WEIGHTS = {"Latin": 60, "Greek": 10, "Cyrillic": 12, "Arabic": 10, "Hebrew": 8}

RELATIONSHIPS = ("spouse_partner", "son_daughter", "other_family", "legal_guardian", "carer", "other")
NURSES = ("Anna Lee", "Tomás Ruiz", "Grace Okafor", "Nikos Andreou")
CLINICIANS = (("Dr Amal Haddad", "Interventional radiologist"), ("Dr Jonas Weber", "Interventional radiologist"),
              ("Dr Rachel Green", "Doctor"), ("Sam Patel", "Nurse practitioner"))  # fmt: skip
VOID_REASONS = (
    "Wrong patient: the session was started under another patient's name.",
    "The patient changed their mind after talking with the doctor; a new consent was taken.",
    "Duplicate: the patient went through the kiosk twice on the same day.",
    "The representative was not the patient's legal representative.",
)
OUTCOME_WEIGHTS = {CONSENTED: 64, QUESTIONS: 13, DECLINED: 7, ABANDONED: 16}  # one for each of OUTCOMES
ABANDON_AT = ("birth_date", "info.procedure_how", "info.day_cement", "info.risks_leak", "quiz.q_leak",
              "statements", "decision")  # fmt: skip
HELP_AT = ("info.risks_leak", "info.procedure_how", "quiz.q_nearby", "info.before_anaesthesia", "statements")


class DemoRefused(Exception):
    """The folder holds real consents; nothing was changed."""

    def __init__(self, data_dir: Path, real: int):
        self.real = real
        consents = "1 real consent" if real == 1 else f"{real} real consents"
        super().__init__(f"{data_dir} holds {consents}; the demo only fills an empty folder or one with "
                         f"sample consents. Use --data-dir to choose a new folder.")


@dataclass
class DemoReport:
    """What `make_demo` added (and how many samples the folder holds now)."""

    data_dir: Path
    added: int = 0
    outcomes: Counter = field(default_factory=Counter)
    needs_doctor: int = 0  # consents with a question misunderstood twice
    after_review: int = 0  # consents with a question understood after its page was shown again
    help_calls: int = 0
    acknowledged: int = 0
    representatives: int = 0
    identity_checked: int = 0
    countersigned: int = 0
    voided: int = 0
    scripts: Counter = field(default_factory=Counter)
    samples_in_folder: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        o = self.outcomes
        return [
            f"Made {_count(self.added, 'sample consent')} in {self.seconds:.1f} s: {o['consented']} consented, "
            f"{o['questions']} with questions for the doctor, {o['declined']} declined, {o['abandoned']} abandoned.",
            f"Flags: {self.needs_doctor} needing the doctor's attention, {self.after_review} understood after "
            f"review; {_count(self.help_calls, 'call')} for a nurse ({self.acknowledged} acknowledged); "
            f"{self.representatives} signed by a representative for the patient.",
            f"Nurse station: {self.identity_checked} identity checked, {self.countersigned} countersigned, "
            f"{self.voided} voided.",
            "Names in " + ", ".join(f"{script} ({count})" for script, count in self.scripts.most_common()) + ".",
            f"Data folder: {self.data_dir} ({_count(self.samples_in_folder, 'sample consent')} in all; "
            f"every PDF says SAMPLE).",
            f"Open it with: kiosk --data-dir {self.data_dir} nurse",
        ]


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


@dataclass
class _Plan:
    """One sample patient: who they are, what they do at the kiosk, what the nurses do after."""

    name: str
    script: str
    start: datetime
    outcome: str
    birth_date: str
    representative: tuple[str, str] | None = None  # (name, relationship key)
    wrong_once: set = field(default_factory=set)
    wrong_twice: set = field(default_factory=set)
    help_at: str | None = None
    acknowledge: bool = True
    review: bool = False
    identity: bool = False
    countersign: bool = False
    void: bool = False


class _PacedClock:
    """A patient's own time: every reading moves on a few seconds, as reading and tapping do."""

    def __init__(self, start: datetime, rng: random.Random):
        self.at = start
        self._rng = rng

    def __call__(self) -> datetime:
        now = self.at
        self.at += timedelta(seconds=self._rng.randint(5, 40))
        return now

    def wait(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def real_consents(data_dir: Path) -> int:
    """How many real (not sample) consents the folder's kiosk.db holds, read-only: 0 for a
    missing database. StoreError if it cannot be read."""
    from kiosk.store import open_database
    from kiosk.store.samples import count_sample_consents

    path = Path(data_dir) / "kiosk.db"
    if not path.exists():
        return 0
    db = open_database(path, read_only=True)
    try:
        return count_sample_consents(db).real
    finally:
        db.close()


def make_demo(data_dir: Path, n: int, *, seed: int = 1,
              progress: Callable[[int, int], None] | None = None) -> DemoReport:
    """Add `n` sample consents to `data_dir` (created if missing); the report.

    DemoRefused (before anything is written) when the folder holds a real consent;
    SettingsError, ContentError, SealKeyError or StoreError as the kiosk itself would raise
    them. The same seed on the same folder gives the same patients and events; a second
    run adds different ones."""
    if not 1 <= n <= MAX_CONSENTS:
        raise ValueError(f"the number of consents must be 1 to {MAX_CONSENTS}, not {n}")
    data_dir = Path(data_dir)
    real = real_consents(data_dir)
    if real:
        raise DemoRefused(data_dir, real)
    started = time.monotonic()

    from kiosk.content import load_pack
    from kiosk.flow.clock import make_clock
    from kiosk.seal_key import load_seal_signer
    from kiosk.settings import load_settings
    from kiosk.store import open_database
    from kiosk.store.samples import count_sample_consents

    settings = load_settings(data_dir)
    pack = load_pack(settings.default_language)
    db = open_database(data_dir / "kiosk.db")
    try:
        signer = load_seal_signer(data_dir, settings)
        counts = count_sample_consents(db)
        if counts.real:  # written since the first look
            raise DemoRefused(data_dir, counts.real)
        rng = random.Random(f"kiosk demo {seed} {counts.sample}")
        now = make_clock(settings.time_zone)()
        plans = _plans(rng, n, now, pack)
        demo = _Demo(db, data_dir, settings, pack, signer, rng, now, progress, n)
        report = demo.run(plans)
        report.samples_in_folder = count_sample_consents(db).sample
    finally:
        db.close()
    report.seconds = time.monotonic() - started
    return report


def run_demo(data_dir: Path, n: int, *, seed: int = 1, out=None) -> int:
    """`kiosk demo`: make the sample consents and print what was made; the exit code (0 made,
    2 refused: real consents in the folder, or broken settings, content or seal key; 3 the
    database cannot be used), with a plain message and never a traceback."""
    import sys

    from kiosk.content import ContentError
    from kiosk.seal_key import SealKeyError
    from kiosk.settings import SettingsError
    from kiosk.store import StoreError

    out = out or sys.stdout
    if n >= 500:
        print(f"Making {n} sample consents in {data_dir} (about {n // 12 + 1} s)...", file=sys.stderr)
    try:
        report = make_demo(data_dir, n, seed=seed,
                           progress=(lambda done, total: print(f"  {done} of {total}", file=sys.stderr))
                           if n >= 500 else None)
    except (DemoRefused, SettingsError, ContentError, SealKeyError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 3
    for line in report.lines():
        print(line, file=out)
    return 0


# ----- who comes, and what happens --------------------------------------------------------------
def _plans(rng: random.Random, n: int, now: datetime, pack) -> list[_Plan]:
    """`n` patients over the last days. The first few cover every case (each outcome, both
    kinds of flag, calls answered and not, representatives, every script, identity checks,
    countersignatures and a void); the rest are drawn as on a ward."""
    days = min(90, max(10, n // 3))
    questions = [q.id for q in pack.questions]
    guaranteed = [
        dict(outcome="consented", script="Latin", wrong_once=1, review=True, identity=True, countersign=True),
        dict(outcome="questions", script="Greek", wrong_twice=1, help_at="info.risks_leak", review=True),
        dict(outcome="declined", script="Cyrillic", representative=True, review=True, identity=True),
        dict(outcome="abandoned", script="Arabic"),
        dict(outcome="consented", script="Hebrew", representative=True, review=True, void=True),
        dict(outcome="consented", script="Latin", wrong_twice=1, help_at="quiz.q_nearby", acknowledge=False,
             today=True),
        dict(outcome="consented", script="Cyrillic", review=True, identity=True, countersign=True,
             representative=True),
    ]
    bags: dict[str, list[str]] = {}

    def draw(script: str, besides: str = "") -> str:  # every name once before any comes again
        bag = bags.setdefault(script, [])
        if not bag or bag == [besides]:
            bag[:0] = rng.sample(NAMES[script], len(NAMES[script]))
        name = next(name for name in reversed(bag) if name != besides)
        bag.remove(name)
        return name

    plans = []
    for i in range(n):
        spec = guaranteed[i] if i < len(guaranteed) else _random_spec(rng)
        script = spec["script"]
        start = _start_time(rng, now, days, earliest_day=0 if spec.get("today") else
                            (1 if spec.get("review") else 0))
        age = now - start
        plan = _Plan(name=draw(script), script=script, start=start, outcome=spec["outcome"],
                     birth_date=f"{rng.randint(1928, 1966)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     help_at=spec.get("help_at"), acknowledge=spec.get("acknowledge", True))
        if spec.get("representative"):
            plan.representative = (draw(script, besides=plan.name), rng.choice(RELATIONSHIPS))
        chosen = rng.sample(questions, spec.get("wrong_once", 0) + spec.get("wrong_twice", 0))
        plan.wrong_twice = set(chosen[:spec.get("wrong_twice", 0)])
        plan.wrong_once = set(chosen[spec.get("wrong_twice", 0):])
        if i >= len(guaranteed):  # reviewed as a ward would: the older, the likelier
            seen = age > timedelta(hours=3) and rng.random() < (0.85 if age > timedelta(days=1) else 0.4)
            plan.review = seen and plan.outcome != "abandoned" or (seen and rng.random() < 0.3)
            plan.identity = plan.review and plan.outcome != "abandoned" and rng.random() < 0.7
            plan.void = plan.review and plan.outcome != "abandoned" and rng.random() < 0.05
            plan.countersign = (plan.identity and plan.outcome == "consented" and not plan.void
                                and rng.random() < 0.6)
            plan.acknowledge = age > timedelta(hours=1) or rng.random() < 0.5
        else:
            plan.review, plan.identity = spec.get("review", False), spec.get("identity", False)
            plan.countersign, plan.void = spec.get("countersign", False), spec.get("void", False)
        plans.append(plan)
    return plans


def _random_spec(rng: random.Random) -> dict:
    outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
    script = rng.choices(list(SCRIPT_WEIGHTS), list(SCRIPT_WEIGHTS.values()))[0]
    roll = rng.random()
    return dict(outcome=outcome, script=script, representative=rng.random() < 0.15,
                wrong_twice=1 if roll < 0.08 else 0, wrong_once=rng.choice((0, 0, 0, 1, 1, 2)),
                help_at=rng.choice(HELP_AT) if rng.random() < 0.12 else None)


def _start_time(rng: random.Random, now: datetime, days: int, *, earliest_day: int) -> datetime:
    """A weekday-hours start on one of the last `days` days, at least 50 minutes before now
    (the session, and the nurse's first look, fit before now)."""
    for _ in range(100):
        day = rng.randrange(earliest_day, days)
        minute = rng.randrange(8 * 60, 17 * 60 + 30)
        start = _at(now, day, minute)
        if start <= now - timedelta(minutes=50):
            return start
    return _at(now, max(1, earliest_day), 9 * 60)


def _at(now: datetime, days_ago: int, minute_of_day: int) -> datetime:
    """That wall-clock time `days_ago` days before `now`, in now's zone (a named zone keeps
    its own summer time; the machine's local zone is asked again for that day)."""
    day = (now - timedelta(days=days_ago)).date()
    naive = datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60)
    zone = now.tzinfo
    if zone is not None and hasattr(zone, "key"):  # a ZoneInfo
        return naive.replace(tzinfo=zone)
    return naive.astimezone()


def script_of(name: str) -> str:
    """"Latin", "Greek", "Cyrillic", "Arabic", "Hebrew"... from the name's first letter."""
    for char in name:
        if unicodedata.category(char).startswith("L"):
            return unicodedata.name(char, "UNKNOWN").split()[0].title()
    return "Unknown"


# ----- making them ------------------------------------------------------------------------------
class _Demo:
    def __init__(self, db, data_dir, settings, pack, signer, rng, now, progress, n):
        self.db, self.data_dir, self.settings, self.pack, self.signer = db, data_dir, settings, pack, signer
        self.rng, self.now, self.progress, self.n = rng, now, progress, n
        self.consents = settings.consents_path(data_dir)
        self.report = DemoReport(data_dir=data_dir)
        self.saved = 0

    def run(self, plans: list[_Plan]) -> DemoReport:
        events: list[tuple[datetime, int, Callable[[], None]]] = []
        for plan in plans:
            events += self._events(plan)
        for _, _, action in sorted(events, key=lambda e: (e[0], e[1])):
            action()
        return self.report

    def _events(self, plan: _Plan) -> list:
        """Walk the patient's session now (on the model alone), and schedule what it leaves
        behind: the call for a nurse and its answer, the save, the nurses' review."""
        from kiosk.flow.walk import handwriting, walk_session

        rng = self.rng
        clock = _PacedClock(plan.start, random.Random(rng.getrandbits(64)))
        representative, relationship = plan.representative or (None, "son_daughter")
        session = walk_session(
            self.pack, name=plan.name, clock=clock, rng=random.Random(rng.getrandbits(64)),
            outcome="consented" if plan.outcome == "abandoned" else plan.outcome,
            representative=representative, relationship=self.pack.ui(f"relationship_{relationship}"),
            birth_date=plan.birth_date, wrong_once=plan.wrong_once, wrong_twice=plan.wrong_twice,
            more_opened={number for number in range(1, 17) if rng.random() < 0.15},
            help_at=(plan.help_at,) if plan.help_at else (),
            abandon_at=rng.choice(ABANDON_AT) if plan.outcome == "abandoned" else None,
            signature=handwriting(rng=random.Random(rng.getrandbits(64))),
            session_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        )
        if plan.outcome == "abandoned":  # "Are you still there?" went unanswered
            clock.wait(self.settings.idle_timeout_seconds + self.settings.idle_countdown_seconds)
        finished = clock.at
        events = []
        for request in session.help_requests:
            called = datetime.fromisoformat(request.at)
            events.append((called, 0, lambda s=session, r=request: self._call(s, r)))
            if plan.acknowledge:
                answered = called + timedelta(seconds=rng.randint(40, 240))
                events.append((answered, 1, lambda s=session, r=request, t=answered: self._answer(s, r, t)))
        events.append((finished, 2, lambda p=plan, s=session: self._save(p, s)))
        if plan.review:
            nurse = rng.choice(NURSES)
            steps = [("view", rng.randint(10, 240))]
            if plan.identity:
                steps.append(("identity", rng.randint(1, 6)))
            if plan.void:
                steps.append(("void", rng.randint(5, 90)))
            elif plan.countersign:
                steps.append(("countersign", rng.randint(20, 300)))
            # all before now: the nurses' day is squeezed if the consent is recent
            room = (self.now - finished).total_seconds() - 120
            total = sum(minutes for _, minutes in steps) * 60
            scale = min(1.0, room / total) if total else 1.0
            at = finished
            for order, (kind, minutes) in enumerate(steps):
                at = at + timedelta(seconds=max(30, int(minutes * 60 * scale)))
                if at > self.now:
                    break
                events.append((at, 3 + order, lambda k=kind, p=plan, s=session, t=at, who=nurse:
                               self._review(k, p, s, t, who)))
        return events

    # ----- the events, each through the store's own functions
    def _call(self, session, request) -> None:
        from kiosk.store import record_help_request

        record_help_request(self.db, session_id=session.id, at=request.at, step_id=request.step_id)
        self.report.help_calls += 1

    def _answer(self, session, request, at: datetime) -> None:
        from kiosk.store import list_help_requests
        from kiosk.store.review import acknowledge_help

        for row in list_help_requests(self.db, open_only=True):
            if row["session_id"] == session.id and row["at"] == request.at:
                acknowledge_help(self.db, row["id"], nurse=self.rng.choice(NURSES), at=at.isoformat())
                self.report.acknowledged += 1

    def _save(self, plan: _Plan, session) -> None:
        from kiosk.finalise import current_audit_head, prepare_consent, save_consent

        if plan.outcome == "abandoned":
            pending = prepare_consent(session, self.pack, self.settings, outcome="abandoned", sample=True)
        else:
            pending = prepare_consent(session, self.pack, self.settings, signer=self.signer,
                                      audit_head=current_audit_head(self.db), sample=True)
        save_consent(self.db, self.consents, pending)
        record, report = pending.record, self.report
        report.added += 1
        report.outcomes[record["outcome"]] += 1
        statuses = {answer["status"] for answer in record["answers"]}
        report.needs_doctor += "needs_doctor" in statuses
        report.after_review += "understood_after_review" in statuses
        report.representatives += record["representative"] is not None
        report.scripts[script_of(record["patient"]["full_name"])] += 1
        self.saved += 1
        if self.progress and (self.saved % 100 == 0 or self.saved == self.n):
            self.progress(self.saved, self.n)

    def _review(self, kind: str, plan: _Plan, session, at: datetime, nurse: str) -> None:
        from kiosk.store.review import mark_viewed, set_identity_checked, void_consent

        rng, when = self.rng, at.isoformat()
        if kind == "view":
            mark_viewed(self.db, session.id, nurse=nurse, at=when)
        elif kind == "identity":
            set_identity_checked(self.db, session.id, mrn=f"MRN-{rng.randint(100000, 999999)}", nurse=nurse,
                                 at=when)
            self.report.identity_checked += 1
        elif kind == "void":
            void_consent(self.db, session.id, reason=rng.choice(VOID_REASONS), nurse=nurse, at=when)
            self.report.voided += 1
        elif kind == "countersign":
            self._countersign(session.id, when, nurse)

    def _countersign(self, document_id: str, signed_at: str, nurse: str) -> None:
        from kiosk.finalise import prepare_countersignature
        from kiosk.flow.walk import handwriting
        from kiosk.store import get_consent
        from kiosk.store.review import add_countersignature

        clinician, role = self.rng.choice(CLINICIANS)
        strokes = handwriting(600.0, 200.0, rng=random.Random(self.rng.getrandbits(64)))
        countersignature = {"clinician_name": clinician, "role": role, "signed_at": signed_at,
                            "width": 600.0, "height": 200.0,
                            "strokes": [[[round(x, 2), round(y, 2)] for x, y in s] for s in strokes]}
        pdf = prepare_countersignature(get_consent(self.db, document_id), countersignature, self.settings,
                                       self.data_dir, labels=self.pack.pdf_labels, signer=self.signer)
        add_countersignature(self.db, self.consents, document_id, clinician_name=clinician, role=role,
                             signed_at=signed_at, countersignature=countersignature, pdf_bytes=pdf, nurse=nurse)
        self.report.countersigned += 1
