"""What the command line says when a running system does not answer, or answers with a crash.

Neither is a refusal: a refusal says the command was not applied, where a request that got no
answer may have been applied all the same. The importer asks for the command's receipt before
it says which.
"""

from __future__ import annotations

from shared.errors import PathwayError


class Unanswered(PathwayError):
    """A service, or the broker between us, did not answer; `problem` names which, for an operator."""

    status = 503

    def __init__(self, service: str | None, problem: str) -> None:
        super().__init__(problem)
        self.service = service
        self.problem = problem


class Crashed(PathwayError):
    """A service answered that handling the request failed on an error of its own (a bug, not a refusal)."""

    status = 500

    def __init__(self, service: str, error_type: str) -> None:
        super().__init__(f"{service}: internal error ({error_type})")
        self.service = service
        self.error_type = error_type


class NotSettled(PathwayError):
    """Reactions the import waits for cannot arrive, or did not in time; `problem` names what is missing."""

    status = 504

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
