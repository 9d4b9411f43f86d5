"""Patient pages, and the one place that maps a step type to its page (cf. ResearchKit's
ORKStep+ResearchKitUI).

Only the Welcome page is imported up front; the others load on the first Start, so the
Welcome screen paints sooner.
"""

from __future__ import annotations

from kiosk.ui.pages.base import Page, PageContext
from kiosk.ui.pages.ending import DonePage, OutOfServicePage, SaveFailedPage
from kiosk.ui.pages.welcome import WelcomePage


def page_for(step, ctx: PageContext, session) -> Page:
    """Build the page that shows `step` for this session."""
    from kiosk.flow.steps import (
        BirthDateStep,
        DecisionCheckStep,
        DecisionStep,
        DoneStep,
        InfoStep,
        NameStep,
        QuestionStep,
        RelationshipStep,
        ReviewStep,
        SignatureStep,
        SignerStep,
        StatementsStep,
    )
    from kiosk.flow.task import signer_role
    from kiosk.ui.pages.decision import DecisionPage, SignaturePage, StatementsPage
    from kiosk.ui.pages.decision_check import DecisionCheckPage
    from kiosk.ui.pages.education import InfoPage
    from kiosk.ui.pages.identity import BirthDatePage, NamePage, RelationshipPage, SignerPage
    from kiosk.ui.pages.questions import QuestionPage

    if isinstance(step, SignerStep):
        return SignerPage(step, ctx)
    if isinstance(step, NameStep):
        by_rep = signer_role(session.results) == "representative"
        return NamePage(step, ctx, for_representative_of_patient=by_rep)
    if isinstance(step, BirthDateStep):
        return BirthDatePage(step, ctx, session.results)
    if isinstance(step, RelationshipStep):
        return RelationshipPage(step, ctx)
    if isinstance(step, (InfoStep, ReviewStep)):
        return InfoPage(step, ctx, session.results)
    if isinstance(step, QuestionStep):
        choices = tuple(c.id for c in ctx.pack.question(step.question_id).choices)
        return QuestionPage(step, ctx, session.shown_order(step, choices))
    if isinstance(step, StatementsStep):
        return StatementsPage(step, ctx, session.results)
    if isinstance(step, DecisionStep):
        return DecisionPage(step, ctx, session.results)
    if isinstance(step, DecisionCheckStep):
        return DecisionCheckPage(step, ctx, session.results)
    if isinstance(step, SignatureStep):
        return SignaturePage(step, ctx, session.results)
    if isinstance(step, DoneStep):
        decision = session.results.get("decision")
        return DonePage(step, ctx, getattr(decision, "outcome", "abandoned"))
    raise TypeError(f"no page for {type(step).__name__}")


__all__ = ["OutOfServicePage", "Page", "PageContext", "SaveFailedPage", "WelcomePage", "page_for"]
