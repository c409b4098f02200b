"""Intake's named rule errors. Messages name the rule, never the person's data."""

from shared.errors import DuplicateConflict, NotFound, RuleViolation


class PersonNotFoundError(NotFound):
    pass


class RegistrationConflictError(DuplicateConflict):
    pass


class DecisionConflictError(DuplicateConflict):
    pass


class CommitmentMissingError(RuleViolation):
    pass


class AlreadyInCustodyError(RuleViolation):
    pass
