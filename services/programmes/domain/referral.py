"""A referral's status machine: which status may follow which (DOMAIN.md, Programmes)."""

from __future__ import annotations

from services.programmes.domain.errors import ReferralTransitionError

SUBMITTED = "submitted"
AWAITING_ALLOCATION = "awaiting_allocation"
ON_PROGRAMME = "on_programme"
COMPLETE = "complete"

# Status -> the statuses a command may move it to. A referral reaches `on_programme` through an
# enrolment or an allocated place, and `complete` through the programme's completion.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": (
        "assessed_suitable",
        "assessed_not_suitable",
        "assessed_not_eligible",
        "deferred",
        "on_hold",
        "withdrawn",
    ),
    "assessed_suitable": ("awaiting_allocation", "deferred", "on_hold", "withdrawn"),
    "deferred": ("submitted", "assessed_suitable", "withdrawn"),
    "on_hold": ("submitted", "assessed_suitable", "awaiting_allocation", "withdrawn"),
    "awaiting_allocation": ("on_hold", "deferred", "withdrawn"),
    "on_programme": ("deselected", "withdrawn"),
    "assessed_not_suitable": (),
    "assessed_not_eligible": (),
    "complete": (),
    "deselected": (),
    "withdrawn": (),
}
TERMINAL = frozenset(status for status, onward in TRANSITIONS.items() if not onward)
# Open referrals an enrolment in their programme takes up (and so accepts).
ACCEPTED_BY_ENROLMENT = ("assessed_suitable", "awaiting_allocation", "on_hold", "deferred", "submitted")
# An enrolment ended by a referral's status: the status is the enrolment's reason.
ENDS_ENROLMENT = frozenset({"deselected", "withdrawn"})


def check_transition(current: str, wanted: str) -> None:
    allowed = TRANSITIONS[current]
    if wanted not in allowed:
        onward = ", ".join(allowed) if allowed else "none, the referral is closed"
        raise ReferralTransitionError(f"status: a referral {current} cannot become {wanted} (allowed: {onward})")
