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


class NotInCustodyError(RuleViolation):
    pass


class SeparationError(RuleViolation):
    """A placement that would put people together whom the rules keep apart (Mandela Rules 11, 112)."""


class LegalStatusMissingError(RuleViolation):
    pass


class PretrialReviewError(RuleViolation):
    pass


class ReviewConflictError(DuplicateConflict):
    pass


class TransferConflictError(DuplicateConflict):
    pass


class CustodialSentenceMissingError(RuleViolation):
    """A consecutive sentence or an adjustment names no custodial sentence of the person."""


class AdjustmentConflictError(DuplicateConflict):
    pass


class MergeError(RuleViolation):
    pass


class AdmissionNotFoundError(RuleViolation):
    pass


class AbsenceConflictError(DuplicateConflict):
    """The same absence id recorded again with other content."""


class AbsenceError(RuleViolation):
    """An absence that cannot be: already away, or back before leaving."""


class AbsenceNotFoundError(NotFound):
    pass


class NonAssociationConflictError(DuplicateConflict):
    pass


class CaseNotRestrictedError(RuleViolation):
    """A restriction lifted from a case that has none."""
