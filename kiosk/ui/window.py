"""The kiosk window: shows the current step's page and routes what pages report.

It owns at most one `Session`. Pages for that session are built on first visit and all
destroyed when the session ends, so nothing of a patient stays reachable (Back included).
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.interface_text import InterfaceText, installed_languages, load_interface_text, offered_languages
from kiosk.flow.clock import make_clock
from kiosk.settings import Settings
from kiosk.ui.idle import IdleWatch, StillTherePrompt
from kiosk.ui.pages import OutOfServicePage, PageContext, SaveFailedPage, WelcomePage, page_for
from kiosk.ui.pages.base import button, label, local_today
from kiosk.ui.screen_fit import CurrentPageStack
from kiosk.ui.translation import apply_language
from kiosk.ui.widgets.long_press import LongPressLabel

# The next education page is built this long after a page is shown: after its paint, while the
# patient reads (nobody taps Next sooner; a double tap's second half is ignored anyway).
PREBUILD_AFTER_MS = 150
# A call for a nurse still not stored after this long: the screen says so, honestly.
HELP_PROBLEM_AFTER_MS = 5000
# When a session ends its pages are destroyed this many per turn of the event loop, Welcome first.
DELETE_PAGES_PER_TURN = 4


class KioskWindow(QWidget):
    """Patient-facing main window."""

    def __init__(self, *, settings: Settings, data_dir: Path, db=None, parent=None, today=None,
                 nurse_hold_ms: int | None = None, tap_clock=None):
        """`db` is an open database; None opens `data_dir/kiosk.db` just after the first paint
        (sqlite-utils takes longer to import than Qt takes to show the Welcome screen).
        `tap_clock` is what the pages' tap guard reads the time from (see PageContext)."""
        super().__init__(parent)
        self.setWindowTitle("Consent kiosk")
        self.settings = settings
        self.data_dir = data_dir
        self.db = db
        self.clock = make_clock(settings.time_zone)
        self.session = None  # a kiosk.flow.Session while a patient is using the kiosk
        self.pending = None  # a kiosk.finalise.PendingConsent while saving is outstanding
        self.saved = None
        self.seal_signer = None  # seals every consent PDF; loaded once, after the database opens
        self.store_worker = None  # a kiosk.ui.saving.StoreWorker: renders, seals and saves off the UI thread
        self.abandoned_saves = None  # a kiosk.ui.saving.AbandonedSaves once a session has timed out
        self._saving = False  # from Sign (or "Yes, that is right") until Done or the failed page
        # The next education page, built while the patient reads this one; destroyed with the session.
        self._prebuilt: dict[str, QWidget] = {}
        self._prebuild_timer = QTimer(self)
        self._prebuild_timer.setSingleShot(True)
        self._prebuild_timer.setInterval(PREBUILD_AFTER_MS)
        self._prebuild_timer.timeout.connect(self._prebuild_next)
        self._today = today
        self.tap_clock = tap_clock
        self._pages: dict[str, QWidget] = {}
        self._page_connections = []
        # Pages of an ended session: out of the stack, hidden, wiped, destroyed a few per turn.
        self._doomed: list[QWidget] = []
        self._delete_timer = QTimer(self)
        self._delete_timer.setSingleShot(True)
        self._delete_timer.setInterval(0)
        self._delete_timer.timeout.connect(self._delete_some_pages)
        self.languages = offered_languages(installed_languages(procedure=settings.procedure), settings)
        self.language_page = None  # the header's Language button opens it, during a session
        # The Welcome screen is painted from its language's screen texts alone; the content pack
        # (pages, questions, statements), loaded and checked just after, replaces them (`pack`).
        self._texts: InterfaceText | None = None
        self._pack = None
        self._content_problem = None  # the ContentError that put the kiosk out of service

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QWidget()
        header.setObjectName("header")
        # its background, and the banner's and Start's sizes, are in theme.style_sheet: a widget's own
        # style sheet is parsed and matched apart from the application's, before the first paint
        bar = QHBoxLayout(header)
        bar.setContentsMargins(32, 10, 32, 10)
        # Fixed texts from settings and translations; plain=False keeps `Qt` off the start-up path.
        # held 3 s (tests may shorten it): the nurse station
        self.hospital_label = LongPressLabel(settings.hospital_name, **({"hold_ms": nurse_hold_ms} if nurse_hold_ms else {}))
        self.hospital_label.setProperty("role", "progress")
        self.hospital_label.held.connect(self.open_nurse_station)
        self.nurse_station = None
        self.progress_label = label("", "progress", wrap=False, plain=False)
        em = QApplication.font().pixelSize()  # the theme's body text, for this screen
        self.progress_label.setMinimumWidth(13 * em)  # until _size_progress measures the language's words
        self.help_button = button("", "help", self.call_nurse)
        self.help_button.setMinimumWidth(11 * em)
        self.language_button = button("", None, self.choose_language)
        self.language_button.setMinimumWidth(8 * em)
        self.language_button.hide()
        # The nurse banner shows in the header, in the hospital name's place (only Welcome needs
        # the name, to open the nurse station): a row of its own under the header left too
        # little height at 1280x800 for the name page's keyboard.
        self.help_banner = label("", "banner", plain=False)
        self.help_banner.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.help_banner.setObjectName("helpbanner")  # padding 2px 12px: as tall as Call a nurse, three lines
        self.help_banner.hide()
        bar.addWidget(self.hospital_label)
        bar.addWidget(self.help_banner, 4)
        bar.addStretch(1)
        bar.addWidget(self.progress_label)
        bar.addStretch(1)
        bar.addWidget(self.language_button)
        bar.addWidget(self.help_button)
        outer.addWidget(header)
        self._header_bar = bar  # "Read to me" and its reading strip join it at the first Start
        self.read_to_me = None  # a kiosk.ui.read_aloud.ReadToMe from the first Start
        self._reading = False  # its strip has the header's room (_reading_room)
        self._banner = False  # the nurse banner is wanted (it may make way for the reading strip)
        self._language_was = False
        self.stack = CurrentPageStack()  # as tall as the page shown, not the tallest page made
        outer.addWidget(self.stack, 1)

        self.idle = IdleWatch(settings.idle_timeout_seconds, self)
        self.idle.idle.connect(self._ask_still_there)
        self._idle_watched = False  # its application-wide filter goes in at the first paint (_watch_idle)
        self.done_timer = QTimer(self)
        self.done_timer.setSingleShot(True)
        self.done_timer.timeout.connect(self.end_session)
        self.banner_timer = QTimer(self)
        self.banner_timer.setSingleShot(True)
        self.banner_timer.timeout.connect(lambda: self._set_banner(False))
        self.help_calls = None  # a kiosk.store.HelpCalls once the database is open
        self._help_future = None  # the call of this session, until the session ends
        self._help_waited = 0
        self.help_problem_after_ms = HELP_PROBLEM_AFTER_MS
        self.help_timer = QTimer(self)
        self.help_timer.setInterval(100)
        self.help_timer.timeout.connect(self._check_help_call)
        self.prompt = None
        self.welcome = None
        self._show_language(load_interface_text(settings.default_language, procedure=settings.procedure))
        self._load_after_paint = True
        self._open_after_paint = db is None
        if db is None:
            self.welcome.start_button.setEnabled(False)
        else:
            self._start_help_calls()

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self._idle_watched:
            self._watch_idle()
        if self._load_after_paint:
            self._load_after_paint = False
            QTimer.singleShot(0, self._load_content)
        if self._open_after_paint:
            self._open_after_paint = False
            QTimer.singleShot(0, self._open_database)

    @property
    def pack(self):
        """The content pack in the language shown (a `kiosk.content.ContentPack`), loaded and
        checked just after the first paint, or on first use if that comes sooner; ContentError
        if it is broken."""
        if self._pack is None:
            from kiosk.content import load_pack

            self._pack = load_pack(self._texts.language, procedure=self.settings.procedure)
        return self._pack

    def _load_content(self) -> bool:
        """Load the content pack now; a broken one puts the kiosk out of service (False)."""
        if self._pack is not None:
            return True
        if self._content_problem is None:
            from kiosk.content import ContentError

            try:
                self.pack
                return True
            except ContentError as error:
                self._content_problem = error
                self._show_out_of_service(error)
        return False

    def _show_out_of_service(self, error: Exception) -> None:
        _keep_start_up_objects()
        print(f"kiosk: {error}", file=sys.stderr)
        self.welcome.start_button.setEnabled(False)
        page = OutOfServicePage(self._context(), str(error))
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def _open_database(self) -> None:
        from kiosk.seal_key import SealKeyError, load_seal_signer
        from kiosk.store import StoreError, open_database

        if not self._load_content():
            return  # out of service already
        try:
            self.db = open_database(self.data_dir / "kiosk.db")
            self.seal_signer = load_seal_signer(self.data_dir, self.settings)  # pyHanko loads here
        except (StoreError, SealKeyError) as error:
            self._show_out_of_service(error)
            return
        from kiosk.recovery import recover_at_start

        recover_at_start(self.db, self.data_dir, self.settings)  # before the first patient
        self._start_help_calls()
        self._warm_up_saving()
        self.welcome.start_button.setEnabled(True)
        QTimer.singleShot(0, _warm_up)
        print(f"kiosk: ready for patients ({self.data_dir})", file=sys.stderr, flush=True)  # for the service log

    def _watch_idle(self) -> None:
        """Every touch anywhere restarts the idle timer, which runs only during a session.

        Installed at the first paint, not before it: a Python filter on the whole application
        wraps each object an event goes to, and wrapping Qt's style object made 10 Python enums
        (4 ms) before the Welcome screen could paint. The kiosk mode's filter, installed since,
        goes back in front of it, as it was: it still swallows the blocked keys first."""
        self._idle_watched = True
        app = QApplication.instance()
        app.installEventFilter(self.idle)
        mode = getattr(self, "kiosk_mode", None)
        if mode is not None:
            app.installEventFilter(mode)  # an installed filter moves to the front

    def _start_help_calls(self) -> None:
        from kiosk.store import HelpCalls
        from kiosk.store.database import database_file

        self.help_calls = HelpCalls(Path(database_file(self.db)))
        from kiosk.ui.saving import StoreWorker

        self.store_worker = StoreWorker(Path(database_file(self.db)))

    def _warm_up_saving(self) -> None:
        """ReportLab, svglib, fonts and the first PDF, once per process, on the store worker."""
        global _saving_warmed
        if not _saving_warmed:
            _saving_warmed = True
            from kiosk.finalise import warm_up

            pack, settings, signer = self.pack, self.settings, self.seal_signer
            self.store_worker.run(lambda db: warm_up(pack, settings, signer), success=_keep_start_up_objects,
                                  failure=_keep_start_up_objects)

    # ----- language and welcome -------------------------------------------------------------
    def _context(self) -> PageContext:
        now = (lambda: self.session.now()) if self.session else (lambda: self.clock().isoformat())
        texts = self._pack or self._texts  # the pack's [ui] texts are the same
        return PageContext(texts, now, QLocale(texts.language), today=self._today or local_today,
                           reduce_motion=self.settings.reduce_motion, high_contrast=self.settings.high_contrast,
                           tap_clock=self.tap_clock)

    def _set_language(self, code: str) -> None:
        from kiosk.content import load_pack

        pack = load_pack(code, procedure=self.settings.procedure)
        self._pack = pack
        self._show_language(pack)

    def choose_language(self) -> None:
        """The header's Language button: the languages, each in itself; Back returns to the page."""
        from kiosk.ui.pages.language import LanguagePage

        if self.session is None or self._saving or self.language_page is not None:
            return
        self._prebuild_timer.stop()
        self.language_page = LanguagePage(self._context(), self.languages, self.stack)
        self.language_page.language_chosen.connect(self.switch_language)
        self.language_page.finished.connect(lambda _direction: self._close_language_page())
        self.stack.addWidget(self.language_page)
        self.stack.setCurrentWidget(self.language_page)
        if self.read_to_me is not None:
            self.read_to_me.page_shown(None)
        self.progress_label.setText("")

    def _close_language_page(self) -> None:
        page, self.language_page = self.language_page, None
        if page is None:
            return
        if self.session is not None:
            self.show_step(self.session.current)
        self.stack.removeWidget(page)
        _forget_page(page)
        self._doomed.append(page)
        self._delete_timer.start()

    def switch_language(self, code: str) -> None:
        """Go on in another language, on the same step, with every answer kept.

        The pages made so far are in the old language: they are retired as at the end of a
        session (they hold this patient's words), and each is made again when shown, from the
        session's results; what the patient had entered on the page they were on and not yet
        handed on (a name half typed, a signature half drawn) is carried over too."""
        from kiosk.content import ContentError, load_pack

        if self.session is None or self._saving:
            return
        try:
            pack = load_pack(code, procedure=self.settings.procedure)
        except ContentError as error:  # a broken translation: stay in this language
            print(f"kiosk: {error}", file=sys.stderr)
            self._close_language_page()
            return
        step = self.session.current
        old = self._pages.get(step.id)
        progress = old.in_progress() if old is not None else None
        self._pack = pack
        self._texts = pack
        apply_language(QApplication.instance(), pack.language, pack.direction)
        self.session.note_language(pack.language)
        self._prebuild_timer.stop()
        for page in [*self._pages.values(), *self._prebuilt.values()]:
            self.stack.removeWidget(page)
            _forget_page(page)
            self._doomed.append(page)
        self._pages.clear()
        self._prebuilt.clear()
        if self.prompt is not None:
            self.prompt.deleteLater()
            self.prompt = None
        self._make_prompt()
        self.help_button.setText(pack.ui("call_nurse"))
        self.language_button.setText(pack.ui("language_button"))
        self._size_progress(pack)
        if self.read_to_me is not None:
            self.read_to_me.retranslate(pack)
        self._close_language_page()  # shows the step again, made in the new language
        if progress is not None:
            self._pages[step.id].restore(progress)

    def _show_language(self, texts) -> None:
        """Welcome, and Call a nurse, in the language of `texts` (a content pack or an InterfaceText)."""
        self._texts = texts
        apply_language(QApplication.instance(), texts.language, texts.direction)
        self.help_button.setText(texts.ui("call_nurse"))
        self.language_button.setText(texts.ui("language_button"))
        self._size_progress(texts)
        if self.read_to_me is not None:
            self.read_to_me.retranslate(texts)
        if self.welcome is not None:
            self.stack.removeWidget(self.welcome)
            self.welcome.deleteLater()
        self.welcome = WelcomePage(self._context(), self.languages, self.settings.hospital_name,
                                   self.stack)  # made in place: no re-styled move into the stack
        self.welcome.start.connect(self.start_session)
        self.welcome.language_chosen.connect(self._set_language)
        self.stack.addWidget(self.welcome)
        if self.prompt is not None:
            self.prompt.deleteLater()
            self.prompt = None  # made again, in the new language, when a session starts
        self._show_welcome()

    def _size_progress(self, texts) -> None:
        """The step counter as wide as its widest text in this language ("Step 99 of 99"), so it
        is never cut nor jumps about, and leaves the header room for Read to me, Language and
        Call a nurse at 1280x800."""
        self.progress_label.ensurePolished()
        metrics = self.progress_label.fontMetrics()
        widest = max(metrics.horizontalAdvance(texts.ui(key, number=99, total=99))
                     for key in ("progress_page", "progress_question"))
        self.progress_label.setMinimumWidth(widest + QApplication.font().pixelSize())

    def _show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.progress_label.setText("")
        self.help_button.hide()
        self.language_button.hide()
        self._set_banner(False)

    # ----- the session ----------------------------------------------------------------------
    def start_session(self) -> None:
        from kiosk.flow import Session, build_consent_task

        if self.session is not None:
            return  # a second tap on Start: one patient's journey is under way
        if not self._load_content():
            return  # a broken content pack: out of service
        self._make_prompt()
        self.session = Session(build_consent_task(self.pack), clock=self.clock)
        self._forget_help_call()
        self.pending = None
        self.saved = None
        self.help_button.show()
        self.language_button.setVisible(len(self.languages) > 1)
        self._arrange_header()  # the step counter in the hospital's name's place
        self._make_read_to_me().session_started()
        if not self._idle_watched:  # a window never painted (tests)
            self._watch_idle()
        self.idle.start()
        self.show_step(self.session.current)

    def _make_read_to_me(self):
        """The header's "Read to me" and its reading strip, both in the header, made at the first
        Start (QtMultimedia and the speech engine stay off the start-up path)."""
        if self.read_to_me is None:
            import weakref

            from kiosk.ui.read_aloud import ReadToMe

            # Weak: the strip and the button are Qt children of this window, kept alive by Qt;
            # they hold no strong reference back to it.
            window = weakref.ref(self)

            def room(reading: bool) -> None:
                if (alive := window()) is not None:
                    alive._reading_room(reading)

            def row_height() -> int:
                alive = window()
                return alive.help_button.sizeHint().height() if alive is not None else 0

            self.read_to_me = ReadToMe(by_default=self.settings.read_aloud_by_default, room=room,
                                       row_height=row_height, parent=self)
            bar = self._header_bar
            bar.insertWidget(bar.indexOf(self.language_button), self.read_to_me.button)
            bar.insertWidget(bar.indexOf(self.help_banner) + 1, self.read_to_me.strip, 1000)  # the stretches give way
            self.read_to_me.retranslate(self._pack or self._texts)
        return self.read_to_me

    def _reading_room(self, reading: bool) -> None:
        """While a page is read, its sentence has the header's room: the step counter, the nurse
        banner and Language make way (Read to me says Stop, Call a nurse stays), and come back
        as they were when it ends."""
        self._reading = reading
        if reading:
            self._language_was = self.language_button.isVisible()
            self.language_button.hide()
            self._arrange_header()
            return
        self._arrange_header()
        self.language_button.setVisible(self._language_was and self.session is not None)

    def _set_banner(self, wanted: bool) -> None:
        self._banner = wanted
        self._arrange_header()

    def _arrange_header(self) -> None:
        """The header's left part: the hospital's name on Welcome (held, it opens the nurse
        station), the step counter during a session, or the nurse banner in their room, or the
        reading strip in all of theirs. What goes is hidden before what comes is shown: laid
        out with both, even for a moment, the header would be wider than a 1280x800 screen, and
        a top-level window grows and never shrinks back."""
        banner = self._banner and not self._reading
        counter = not self._reading and not banner
        wanted = {self.hospital_label: counter and self.session is None, self.progress_label: counter,
                  self.help_banner: banner}
        for widget, shown in wanted.items():
            if not shown:
                widget.hide()
        for widget, shown in wanted.items():
            if shown:
                widget.show()

    def _make_prompt(self) -> None:
        if self.prompt is None:
            self.prompt = StillTherePrompt(self._context(), self.settings.idle_countdown_seconds, self)
            self.prompt.stay.connect(self.idle.start)
            self.prompt.expired.connect(self.time_out)

    def show_step(self, step) -> None:
        from kiosk.flow.steps import DoneStep

        page = self._pages.get(step.id)
        if page is None:
            page = self._prebuilt.pop(step.id, None)
            if page is None:
                page = page_for(step, self._context(), self.session)
                kept = self.session.results.get(step.id)
                if kept is not None:
                    page.restore(kept)  # made again after a change of language
            # Each report carries the step it was made on: one from a page left behind is dropped.
            page.result_changed.connect(lambda result, sid=step.id: self._on_result(sid, result))
            page.finished.connect(lambda direction, sid=step.id: self._on_finished(direction, sid))
            self._pages[step.id] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.on_shown()
        if self.read_to_me is not None:
            self.read_to_me.page_shown(page)  # any reading of the page before stops
        self.progress_label.setText(self._progress(step))
        self._prebuild_timer.start()  # once this page is painted and being read
        if isinstance(step, DoneStep):
            self.idle.stop()
            self.help_button.hide()
            self.language_button.hide()
            self.done_timer.start(self.settings.done_screen_seconds * 1000)

    def _prebuild_next(self) -> None:
        """Build the next education page now, laid out at the stack's size with its picture
        rendered, so that Next only has to show it (bench/bench_pages.py). Only education pages:
        building them reads nothing of the session and reports nothing until shown."""
        from kiosk.flow.steps import InfoStep

        if self.session is None or self._saving:
            return
        following = self.session.task.step_after(self.session.current.id, self.session.results)
        if not isinstance(following, InfoStep) or following.id in self._pages or following.id in self._prebuilt:
            return
        page = page_for(following, self._context(), self.session)
        page.setParent(self.stack)  # hidden; show_step adds it to the stack when its turn comes
        page.setGeometry(self.stack.rect())
        page.ensurePolished()
        # A hidden page lays nothing out: its picture is drawn (into the picture cache) at the
        # size the page on screen gives its own, which every education page shares.
        shown = getattr(self.stack.currentWidget(), "picture", None)
        picture = getattr(page, "picture", None)
        if hasattr(picture, "pixmap") and shown is not None and not shown.size().isEmpty():
            picture.resize(shown.size())
            picture.pixmap()
        elif hasattr(picture, "warm_up") and shown is not None and not shown.size().isEmpty():
            picture.warm_up(shown.size())  # the cement animation: its still parts drawn now
        self._prebuilt[following.id] = page

    def _progress(self, step) -> str:
        from kiosk.flow.steps import InfoStep, QuestionStep

        if isinstance(step, InfoStep):
            return self.pack.ui("progress_page", number=step.number, total=step.total)
        if isinstance(step, QuestionStep):
            return self.pack.ui("progress_question", number=step.number, total=step.total)
        return ""

    def current_page(self):
        return self.stack.currentWidget()

    def _is_current(self, step_id: str) -> bool:
        """The page of `step_id` is on screen and its step is the session's current one."""
        return (self.session is not None and self.session.accepts(step_id)
                and self.stack.currentWidget() is self._pages.get(step_id))

    def _on_result(self, step_id: str, result) -> None:
        if self._is_current(step_id):
            self.session.set_result(step_id, result)

    def _on_finished(self, direction: str, step_id: str) -> None:
        from kiosk.flow.steps import DoneStep

        if not self._is_current(step_id):
            return  # the second tap of a double tap, from a page already left
        if isinstance(self.session.current, DoneStep):
            self.end_session()
            return
        if direction == "back":
            if self.session.can_go_back:
                self.show_step(self.session.back(step_id))
            else:
                self.end_session()
            return
        following = self.session.task.step_after(self.session.current.id, self.session.results)
        if isinstance(following, DoneStep):
            self.pending = None  # _save freezes the record and renders its PDF once
            self._save()  # Done follows once the consent is stored
            return
        self.show_step(self.session.advance(step_id))

    @property
    def saving(self) -> bool:
        """True while "Saving your form…" is on screen."""
        return self._saving

    def _save(self) -> None:
        """Store the consent off the UI thread, with "Saving your form…" on screen; Done only
        once the PDF is on disk and its row committed. The record is frozen here (about 1 ms);
        the store worker renders and seals the PDF, then writes and commits it with its own
        connection (see kiosk.ui.saving). On failure a calm page keeps everything for a retry:
        the record, and the PDF once made, stay in `self.pending`."""
        if self._saving or self.session is None:
            return
        from kiosk.finalise import current_audit_head, freeze_record, render_pending

        self._saving = True
        self.idle.stop()  # an unsaved consent must never be wiped by the idle timeout
        self._show_saving()
        if self.pending is not None:
            self._store_pending()
            return
        try:
            record = freeze_record(self.session, self.pack, self.settings)
        except Exception as error:  # noqa: BLE001 - any failure must keep the patient's work
            self._save_failed(error)
            return
        pack, settings, data_dir, signer = self.pack, self.settings, self.data_dir, self.seal_signer

        def render(db):
            from kiosk.seal_key import load_seal_signer

            sealer = signer or load_seal_signer(data_dir, settings)  # a window given a database loads it here
            return sealer, render_pending(record, pack, settings, signer=sealer, audit_head=current_audit_head(db))

        self.store_worker.run(render, success=self._rendered, failure=self._save_failed)

    def _rendered(self, made) -> None:
        self.seal_signer, self.pending = made
        self._store_pending()

    def _store_pending(self) -> None:
        from kiosk.finalise import save_consent
        from kiosk.store import AlreadySavedError

        pending, folder = self.pending, self.settings.consents_path(self.data_dir)

        def store(db):
            try:
                return save_consent(db, folder, pending)
            except AlreadySavedError:  # an earlier try did commit: the consent is safe
                return pending.record["document_id"]

        self.store_worker.run(store, success=self._stored, failure=self._save_failed)

    def _stored(self, saved) -> None:
        self._saving = False
        self.saved = saved
        if self.session is not None:
            self.show_step(self.session.advance())

    def _save_failed(self, error: Exception) -> None:
        self._saving = False
        print(f"kiosk: saving consent failed: {error}", file=sys.stderr)
        traceback.print_exception(error)
        if self.session is not None:
            self._show_save_failed(error)

    def _show_saving(self) -> None:
        page = self._pages.get("saving")
        if page is None:
            from kiosk.ui.pages.ending import SavingPage

            page = SavingPage(self._context())
            self._pages["saving"] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        if self.read_to_me is not None:
            self.read_to_me.page_shown(None)
        self.progress_label.setText("")

    def _show_save_failed(self, error: Exception) -> None:
        self.idle.stop()  # an unsaved consent must never be wiped by the idle timeout
        page = self._pages.get("save_failed")
        if page is None:
            page = SaveFailedPage(self._context())
            page.retry.connect(self._retry_save)
            self._pages["save_failed"] = page
            self.stack.addWidget(page)
        from kiosk.store import StoreError

        page.detail.setText(str(error) if isinstance(error, StoreError) else self.pack.ui("save_failed_unknown"))
        self.stack.setCurrentWidget(page)
        self.progress_label.setText("")

    def _retry_save(self) -> None:
        self._save()

    # ----- help, idle, the end --------------------------------------------------------------
    def call_nurse(self) -> None:
        """Store a call for a nurse, off the UI thread; say "asked" only once it is stored.

        One call per session: further taps add nothing, the button already says so."""
        if self.session is None or self._help_future is not None or self.help_calls is None:
            return
        if self.read_to_me is not None:
            self.read_to_me.reader.stop()  # a person, not the reading, now; and the banner's room
        request = self.session.request_help()
        self._help_future = self.help_calls.call(session_id=self.session.id, at=request.at,
                                                 step_id=request.step_id)
        self._help_waited = 0
        self.help_button.setText(self.pack.ui("call_nurse_calling"))
        self._show_called(True)
        self.help_banner.setText(self.pack.ui("call_nurse_calling"))
        self._set_banner(True)
        self.banner_timer.stop()
        self.help_timer.start()
        self._check_help_call()

    def _check_help_call(self) -> None:
        future = self._help_future
        if future is None or self.session is None:
            self.help_timer.stop()
            return
        if future.done():
            self.help_timer.stop()
            self.help_button.setText(self.pack.ui("call_nurse_heard"))
            self.help_banner.setText(self.pack.ui("call_nurse_done"))
            self.banner_timer.start(15000)
            return
        self._help_waited += self.help_timer.interval()
        if self.help_calls.problem and self._help_waited >= self.help_problem_after_ms:
            # Honest, and visible to any member of staff walking past.
            self.help_banner.setText(self.pack.ui("call_nurse_problem"))

    def closeEvent(self, event):
        if self.read_to_me is not None:
            self.read_to_me.close()
        if self.help_calls is not None:
            self.help_calls.close(timeout=1.0)
        if self.abandoned_saves is not None:
            self.abandoned_saves.last_try()  # a timed-out session still waiting for a retry
        if self.store_worker is not None:
            self.store_worker.close()  # a save in progress finishes first
        super().closeEvent(event)

    def _forget_help_call(self) -> None:
        self._help_future = None
        self.help_timer.stop()
        self.banner_timer.stop()
        self._set_banner(False)
        self.help_button.setText(self.pack.ui("call_nurse"))
        self._show_called(False)

    def _show_called(self, called: bool) -> None:
        """Call a nurse looks heard once tapped (filled, framed), not only worded so."""
        from kiosk.ui.theme import set_role

        self.help_button.setProperty("called", called)
        set_role(self.help_button, "help")  # re-polished: the [called] style shows at once

    def _ask_still_there(self) -> None:
        if self.session is not None:
            self.prompt.open()

    def time_out(self) -> None:
        """No answer to "Are you still there?": the screen is wiped at once; what can be kept
        is stored in the background. The record is frozen here (about 1 ms); the store worker
        commits it off the UI thread, and it is tried again until stored if that fails
        (kiosk.ui.saving.AbandonedSaves)."""
        from kiosk.flow import has_identity

        record = None
        if self.session is not None and self.saved is None and has_identity(self.session):
            from kiosk.finalise import freeze_record

            try:
                record = freeze_record(self.session, self.pack, self.settings, outcome="abandoned")
            except Exception as error:  # noqa: BLE001 - the screen is wiped whatever happens
                print(f"kiosk: abandoned session not stored: {error}", file=sys.stderr)
                traceback.print_exception(error)
        self.end_session()  # first: nothing of the patient stays on screen while it is stored
        if record is not None:
            self._abandoned_saves().store(record)

    def _abandoned_saves(self):
        if self.abandoned_saves is None:
            from kiosk.ui.saving import AbandonedSaves

            self.abandoned_saves = AbandonedSaves(self.store_worker, self.settings.consents_path(self.data_dir),
                                                  parent=self)
        return self.abandoned_saves

    def end_session(self) -> None:
        """Forget the patient: destroy every page of the session and return to Welcome."""
        if self.read_to_me is not None:
            self.read_to_me.end_session()  # silence first; the strip keeps nothing of the patient
        self.idle.stop()
        self.done_timer.stop()
        if self.prompt is not None:
            self.prompt.close_prompt()
        self.session = None
        self.pending = None
        self._forget_help_call()  # the call itself is still stored (or retried) in the background
        self.stack.setCurrentWidget(self.welcome)  # first: no page of the session is shown on its way out
        self._prebuild_timer.stop()
        language_page, self.language_page = self.language_page, None
        for page in [*self._pages.values(), *self._prebuilt.values(), *filter(None, [language_page])]:
            self.stack.removeWidget(page)  # still the stack's child until deleted: no reparenting
            _forget_page(page)  # (setParent(None) restyled each page's widgets: 5 ms a page, 38 pages)
            self._doomed.append(page)
        self._pages.clear()
        self._prebuilt.clear()
        self._delete_timer.start()  # ~38 pages deleted at once held the tap on Finish ~20-120 ms
        if self.pack.language != self.settings.default_language:
            self._set_language(self.settings.default_language)
        elif self.prompt is not None and self.prompt.ctx.pack is not self.pack:
            self.prompt.deleteLater()  # made in a language chosen during the session
            self.prompt = None
        self._show_welcome()

    def _delete_some_pages(self) -> None:
        """Destroy the next few pages of an ended session; again on the next turn of the event loop
        until none is left (each page ~0.5 ms, up to ~10 ms on a busy machine)."""
        some, self._doomed = self._doomed[:DELETE_PAGES_PER_TURN], self._doomed[DELETE_PAGES_PER_TURN:]
        for page in some:
            page.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        if self._doomed:
            self._delete_timer.start()
        elif some:
            QTimer.singleShot(0, self._drop_dead_style_rules)  # a turn of its own

    def _drop_dead_style_rules(self) -> None:
        """Qt's style-sheet style keeps rules it cached for some widgets of the pages after they
        are destroyed: resident memory grew ~37 KB a session (bench/bench_soak.py; QScroller is not
        it: without finger scrolling, the same), ~9 KB with this. Unpolishing the application
        empties the style's rule caches (setting the same style sheet again does nothing); they
        fill again, for Welcome alone, at its next paint."""
        if self.session is not None or self._doomed:
            return  # a patient has started already: the next time
        app = QApplication.instance()
        style = app.style()
        style.unpolish(app)
        style.polish(app)

    def pages_left_to_delete(self) -> int:
        """Pages of ended sessions not destroyed yet (hidden, out of the stack, their texts wiped)."""
        return len(self._doomed)

    # ----- the nurse station -----------------------------------------------------------------------
    def open_nurse_station(self) -> None:
        """Only from Welcome, with no patient session and the database open."""
        if self.session is not None or self.db is None or self.nurse_station is not None:
            return
        if not self._load_content():
            return
        from kiosk.ui.nurse.station import NurseStation

        self.idle.stop()
        self.nurse_station = NurseStation(settings=self.settings, data_dir=self.data_dir, db=self.db,
                                          pdf_labels=self.pack.pdf_labels, clock=self.clock)
        self.nurse_station.closed.connect(self.close_nurse_station)
        self.stack.addWidget(self.nurse_station)
        self.stack.setCurrentWidget(self.nurse_station)
        self.help_button.hide()

    def close_nurse_station(self) -> None:
        """Back to Welcome; the station and every view it made are destroyed."""
        station, self.nurse_station = self.nurse_station, None
        if station is not None:
            self.stack.removeWidget(station)
            station.setParent(None)
            station.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        self._show_welcome()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.prompt is not None and self.prompt.isVisible():
            self.prompt.setGeometry(self.rect())



def _forget_page(page: QWidget) -> None:
    """Make a page of an ended session unreachable at once, before it is destroyed: hidden, mute,
    and every text it holds (the name typed, the date, the choices) and any signature wiped."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    page.blockSignals(True)  # its reports reach no one (hidden, it takes no tap: setEnabled cost 0.5 ms a page)
    page.hide()
    for field in page.findChildren(QLineEdit):
        field.clear()
    for text in [*page.findChildren(QLabel), *page.findChildren(QAbstractButton)]:
        text.setText("")
    if "kiosk.ui.widgets.signature_pad" in sys.modules:  # not imported: no signature was drawn
        for pad in page.findChildren(sys.modules["kiosk.ui.widgets.signature_pad"].SignaturePad):
            pad.clear()


_saving_warmed = False  # kiosk.finalise.warm_up has been queued in this process


def _keep_start_up_objects(_result=None) -> None:
    """Once everything a session needs is loaded: the ~100,000 objects of start-up (Qt, the
    content, ReportLab, pyHanko) are kept for the kiosk's life, out of the garbage collector's
    sight (`gc.freeze`). A full collection scanning them held the interpreter for about 100 ms,
    a visible stall on any thread. `kiosk.app` turns automatic collection off until then."""
    import gc

    gc.freeze()
    gc.enable()


def _warm_up() -> None:
    """Import what the first Start needs while the Welcome screen waits for a patient."""
    import kiosk.finalise  # noqa: F401
    import kiosk.flow.record  # noqa: F401
    import kiosk.flow.session  # noqa: F401
    import kiosk.ui.pages.decision  # noqa: F401
    import kiosk.ui.pages.education  # noqa: F401
    import kiosk.ui.pages.identity  # noqa: F401
    import kiosk.ui.pages.questions  # noqa: F401
    import kiosk.ui.widgets.wrap_button  # noqa: F401
    from kiosk.ui.read_aloud import sound_available

    sound_available()  # QtMultimedia and its first device list (20-50 ms): not on the tap on Start
