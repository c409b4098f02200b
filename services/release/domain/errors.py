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
