"""Programmes' named rule errors. Messages name the rule, never the person's data."""

from shared.errors import DuplicateConflict, NotFound, RuleViolation


class PersonNotFoundError(NotFound):
    pass


class ProgrammeNotFoundError(NotFound):
    pass


class ProgrammeConflictError(DuplicateConflict):
    pass


class ProgrammeFullError(RuleViolation):
    pass


class SettingMismatchError(RuleViolation):
    pass


class EligibilityNotMetError(RuleViolation):
    pass


class AlreadyEnrolledError(RuleViolation):
    pass


class NotEnrolledError(RuleViolation):
    pass


class AttendanceConflictError(DuplicateConflict):
    pass


class AttendanceRequirementError(RuleViolation):
    pass


class ReferralNotFoundError(NotFound):
    pass


class ReferralConflictError(DuplicateConflict):
    pass


class ReferralOpenError(RuleViolation):
    pass


class ReferralTransitionError(RuleViolation):
    pass


class ProgrammeRetiredError(RuleViolation):
    pass


class EnrolmentSuspendedError(RuleViolation):
    pass


class NeedsAssessmentConflictError(DuplicateConflict):
    pass


class AssessmentNotFoundError(NotFound):
    pass


class PlanConflictError(DuplicateConflict):
    pass


class PlanDateError(RuleViolation):
    pass


class CohortNotFoundError(NotFound):
    pass


class CohortConflictError(DuplicateConflict):
    pass


class CohortMembershipError(RuleViolation):
    pass


class SessionConflictError(DuplicateConflict):
    pass


class SessionDateError(RuleViolation):
    pass
