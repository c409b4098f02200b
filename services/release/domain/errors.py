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


class ViolationRefusedError(RuleViolation):
    pass


class ViolationNotFoundError(NotFound):
    pass


class ViolationConflictError(DuplicateConflict):
    pass


class RevocationRefusedError(RuleViolation):
    """Tokyo 14: a revocation needs the person heard and non-custodial alternatives considered first."""


class RecallRefusedError(RuleViolation):
    pass


class RecallNotDecidedError(NotFound):
    pass


class SupervisionConflictError(DuplicateConflict):
    pass


class ConsentNotApplicableError(RuleViolation):
    """Tokyo 3.4: consent is asked where a measure precedes or replaces trial."""


class RequirementNotFoundError(NotFound):
    pass


class ResettlementConflictError(DuplicateConflict):
    pass


class NoSuchReleaseError(NotFound):
    pass


class MeasureModificationError(RuleViolation):
    pass


class ReleaseCorrectionError(RuleViolation):
    """A release recorded in error can be corrected only while it is the person's latest and they are out."""


class RequirementNotMetError(RuleViolation):
    """Unpaid work is completed only once its hours are worked."""
