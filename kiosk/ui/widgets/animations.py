"""The animations a page may play in place of its still picture, by the name a structure file
gives them (`animation = "cement_injection"` on a [[pages]] entry). An animation is code; which
page shows which one, and its words, are the content pack's."""

from __future__ import annotations


def _cement_injection(ctx):
    from kiosk.ui.widgets.cement_animation import CementAnimation

    animation = CementAnimation(reduce_motion=ctx.reduce_motion)
    animation.set_texts(replay=ctx.ui("animation_replay"),
                        steps=[ctx.ui(f"animation_step_{i}") for i in (1, 2, 3)])
    return animation


MAKERS = {"cement_injection": _cement_injection}  # kiosk.content.structure.ANIMATIONS names these


def make_animation(name: str | None, ctx):
    """The widget that plays animation `name` for a page in `ctx`'s language; None for none."""
    maker = MAKERS.get(name) if name else None
    return maker(ctx) if maker else None
