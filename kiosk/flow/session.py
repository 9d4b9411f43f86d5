"""One patient's pass through the consent task: current step, history, results.

The Qt window owns one `Session` at a time and throws it away when the patient finishes or
walks away; nothing of a patient outlives their session object except the saved record.
"""

from __future__ import annotations

import random
import uuid

from kiosk.flow.clock import Clock, stamp
from kiosk.flow.results import Attempt, HelpRequest, QuestionResult, TaskResult
from kiosk.flow.steps import QuestionStep, Step
from kiosk.flow.task import ConsentTask


class Session:
    """Where the patient is, where they have been, and everything they did."""

    def __init__(self, task: ConsentTask, *, clock: Clock, rng: random.Random | None = None,
                 session_id: str | None = None):
        self.task = task
        self.clock = clock
        self.id = session_id or str(uuid.uuid4())
        self.started_at = stamp(clock)
        self.results = TaskResult()
        self.help_requests: list[HelpRequest] = []
        self.language_changes: list[tuple[str, str]] = []  # (language code, when), in order
        self._rng = rng or random.Random()
        self._history: list[str] = [task.first_step.id]

    @property
    def current(self) -> Step:
        return self.task.step(self._history[-1])

    @property
    def history(self) -> tuple[str, ...]:
        """The ids of the steps shown, in order, up to the current one (Back removes one)."""
        return tuple(self._history)

    @property
    def can_go_back(self) -> bool:
        return len(self._history) > 1

    def now(self) -> str:
        return stamp(self.clock)

    def note_language(self, code: str) -> None:
        """The patient went on in language `code` from now (the Language button)."""
        self.language_changes.append((code, stamp(self.clock)))

    def accepts(self, step_id: str | None) -> bool:
        """Whether a report made on `step_id` (a result, "forward" or "back") still counts.

        Only the current step's do. A page left behind can still send one: the second tap of
        a double tap, delivered after the first has already moved on. It is dropped, so no
        sequence of taps can skip a step or change the answer of a page no longer shown.
        """
        return step_id is not None and step_id == self._history[-1]

    def set_result(self, step_id: str, result) -> None:
        """Store what the page at `step_id` reported, replacing any earlier result for it."""
        self.results.by_step[step_id] = result

    def advance(self, from_step: str | None = None) -> Step | None:
        """Move to the task's next step; None (and no move) when the journey is over.

        `from_step` is the step the request was made on; when it is given and no longer
        current (see `accepts`), the request is stale: nothing moves and None is returned.
        """
        if from_step is not None and not self.accepts(from_step):
            return None
        following = self.task.step_after(self.current.id, self.results)
        if following is not None:
            self._history.append(following.id)
        return following

    def back(self, from_step: str | None = None) -> Step | None:
        """Return to the previous step shown; its result is kept so the page can show it.

        Results the task withdraws on leaving a step backwards (an unconfirmed decision, see
        `ConsentTask.withdrawn_on_back`) are dropped; nothing else is. A stale request (a
        `from_step` that is no longer current, see `accepts`) moves nothing and returns None."""
        if from_step is not None and not self.accepts(from_step):
            return None
        if self.can_go_back:
            for step_id in self.task.withdrawn_on_back(self._history.pop()):
                self.results.by_step.pop(step_id, None)
        return self.current

    def shown_order(self, step: QuestionStep, choice_ids: tuple[str, ...]) -> tuple[str, ...]:
        """This session's shuffled order of a question's choices, the same every time it is shown."""
        existing = self.results.get(step.id)
        if isinstance(existing, QuestionResult):
            return existing.shown_order
        order = list(choice_ids)
        self._rng.shuffle(order)
        self.set_result(step.id, QuestionResult(shown_order=tuple(order)))
        return tuple(order)

    def answer(self, step: QuestionStep, choice: str, correct: bool) -> QuestionResult:
        """Append one attempt at a question; every attempt is kept, with its time."""
        existing = self.results.get(step.id)
        if not isinstance(existing, QuestionResult):
            raise ValueError("the question's choices were never shown")
        result = QuestionResult(existing.shown_order, existing.attempts + (Attempt(choice, correct, self.now()),))
        self.set_result(step.id, result)
        return result

    def request_help(self) -> HelpRequest:
        request = HelpRequest(at=self.now(), step_id=self.current.id)
        self.help_requests.append(request)
        return request
