"""The top of the first page, for a reviewer at a glance: the outcome, who decided, every flag,
and each question the patient got wrong with every answer they gave and the right one.

Everything here is read from the record alone (docs/consent-record.md), so a record saved by
an older kiosk renders too: the flags it has, and the statements it lists.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from kiosk.documents.blocks import (
    MARKER_WIDTH, OUTCOME_COLOURS, RIGHT, WARNING, WRONG, Context, boxed, boxed_rows, marked,
)
from kiosk.outcomes import ABANDONED, DECISIONS, FLAG_BY_OUTCOME

# The flags the summary shows in its own words; any other flag is printed as it is, so a flag
# added later is never dropped from the page a reviewer reads.
_SHOWN_BY_OUTCOME = {flag: outcome for outcome, flag in FLAG_BY_OUTCOME.items()}


def decider(data: dict, ctx: Context) -> tuple[str, str]:
    """(name, role in words) of whoever made the decision: the signer of a signed consent,
    else the representative if there is one, else the patient."""
    signature = data.get("signature") or {}
    representative = data.get("representative")
    by_representative = signature.get("signer_role") == "representative" if signature else bool(representative)
    role = ctx.labels("role_representative" if by_representative else "role_patient")
    relationship = (representative or {}).get("relationship")
    if by_representative and relationship:
        role = f"{role} ({relationship})"
    if signature.get("signer_name"):
        return signature["signer_name"], role
    person = representative if by_representative else data.get("patient")
    return (person or {}).get("full_name") or "", role


def decided_line(data: dict, ctx: Context) -> str | None:
    """"Declined by Tom Obrien, the patient's representative (Son or daughter)"; None when
    nothing was decided (an abandoned session)."""
    outcome = data.get("outcome")
    if outcome not in DECISIONS:
        return None
    name, role = decider(data, ctx)
    return ctx.labels(f"decided_{outcome}", name=name, role=role)


def help_count(ctx: Context, count: int) -> str:
    """"Asked for help 1 time" / "Asked for help 2 times"."""
    return ctx.labels("attention_help_one" if count == 1 else "attention_help", count=count)


def _misunderstood(answer: dict) -> bool:
    return any(not attempt.get("correct") for attempt in answer.get("attempts") or [])


def _question_rows(number: int, answer: dict, ctx: Context) -> list[Flowable]:
    """A question answered wrong at least once: its prompt, every try, and the right answer
    when the patient never gave it."""
    status = answer.get("status")
    flagged = status == "needs_doctor"
    marker = ctx.labels("needs_doctor") if flagged else ctx.labels(
        "status_understood_after_review" if status == "understood_after_review" else "status_not_answered")
    prompt = ctx.labels("attention_question", marker=marker, number=number, prompt=answer.get("prompt", ""))
    rows: list[Flowable] = [ctx.para(f"{WARNING} {prompt}" if flagged else prompt, "alert" if flagged else "strong")]
    for try_number, attempt in enumerate(answer.get("attempts") or [], start=1):
        text = ctx.labels("summary_try", number=try_number, choice=attempt.get("text", ""))
        rows.append(marked(ctx, RIGHT if attempt.get("correct") else WRONG, text, indent=MARKER_WIDTH))
    right = {c.get("id"): c.get("text") for c in answer.get("choices") or []}.get(answer.get("correct_choice"))
    if right and not any(a.get("correct") for a in answer.get("attempts") or []):
        rows.append(marked(ctx, RIGHT, ctx.para(ctx.labels("summary_right_answer", choice=right), "strong"),
                           indent=MARKER_WIDTH))
    return rows


def _help_rows(data: dict, ctx: Context, where) -> list[Flowable]:
    requests = data.get("help_requests") or []
    rows: list[Flowable] = [ctx.para(f"{WARNING} " + help_count(ctx, len(requests)), "alert")]
    for request in requests:
        text = ctx.labels("help_request_at", time=ctx.time(request.get("at")), where=where(request, data, ctx))
        rows.append(marked(ctx, "", ctx.para(text, "small"), indent=MARKER_WIDTH))
    return rows


def attention_rows(data: dict, ctx: Context, where) -> list[list[Flowable]]:
    """Everything a reviewer must notice, one group of rows per item: each question the
    patient got wrong (flagged ones first), help asked for, statements not confirmed, and any
    flag not told otherwise. `where(help_request, data, ctx)` names the page of a help request."""
    answers = list(enumerate(data.get("answers") or [], start=1))
    flags = [f for f in data.get("flags") or [] if isinstance(f, str)]
    wrong = [(n, a) for n, a in answers if _misunderstood(a) or f"needs_doctor:{a.get('question_id')}" in flags]
    wrong.sort(key=lambda item: item[1].get("status") != "needs_doctor")
    groups = [_question_rows(number, answer, ctx) for number, answer in wrong]
    if data.get("help_requests"):
        groups.append(_help_rows(data, ctx, where))
    statements = data.get("statements") or []
    unconfirmed = sum(1 for s in statements if not s.get("confirmed_at"))
    if unconfirmed:
        groups.append([ctx.para(ctx.labels("statements_unconfirmed", count=unconfirmed, total=len(statements)),
                                "strong")])
    told = {f"needs_doctor:{a.get('question_id')}" for _, a in wrong} | {"help_requested"}
    told |= {flag for flag, outcome in _SHOWN_BY_OUTCOME.items() if data.get("outcome") == outcome}
    groups += [[ctx.para(f"{WARNING} {flag}", "alert")] for flag in flags if flag not in told]
    return groups


def summary_block(data: dict, ctx: Context, where) -> list[Flowable]:
    """The outcome box under the title. On paper: how to fill the form in."""
    if ctx.blank:
        return [Spacer(1, 6), boxed(ctx, [ctx.para(ctx.labels("blank_instructions"))], OUTCOME_COLOURS[ABANDONED][0])]
    outcome = data.get("outcome") if data.get("outcome") in OUTCOME_COLOURS else ABANDONED
    background, colour = OUTCOME_COLOURS[outcome]
    rows: list[Flowable | list[Flowable]] = [ctx.para(ctx.labels(f"outcome_{outcome}"), f"outcome-{outcome}")]
    decided = decided_line(data, ctx)
    if decided:
        rows.append(ctx.para(decided, "strong"))
    for group in attention_rows(data, ctx, where):
        rows.append([Spacer(1, 4), *group])
    return [Spacer(1, 6), boxed_rows(ctx, rows, background, colour)]
