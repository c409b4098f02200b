"""Release's named rule errors. Messages name the rule, never the person's data."""

from shared.errors import DuplicateConflict, NotFound, RuleViolation


class PersonNotFoundError(NotFound):
    pass


class NotInCustodyError(RuleViolation):
    pass


class ConditionalReleaseError(RuleViolation):
    pass


class NoSupervisionError(RuleViolation):
    pass


class NothingToFollowUpError(RuleViolation):
    pass


class OutcomeConflictError(DuplicateConflict):
    pass


class CalculationInputsError(RuleViolation):
    """Release dates cannot be calculated from what release knows (a sentence or adjustment it never learned)."""


class NoReleaseDatesError(RuleViolation):
    pass


class ReleaseDatesOverrideError(RuleViolation):
    pass
