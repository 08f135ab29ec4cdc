"""Due diligence on an organisation by an office (AS6, ESX 9.1): financial, non-financial,
effectiveness and partner checks with an outcome, valid for the months the office's pack sets
and reused for the organisation's later applications to that office.

`due_diligence_blocker(application=...)` is what a decision asks before it proceeds."""


def due_diligence_blocker(*, application) -> str | None:
    """Why a decision on the application cannot proceed for want of due diligence, or None."""
    from commissioning.organisations.due_diligence.rules import blocker

    return blocker(application=application)


def due_diligence_required(application, policy) -> bool:
    """Whether the office's pack asks for due diligence before a decision on the application."""
    from commissioning.organisations.due_diligence.rules import required

    return required(application, policy)
