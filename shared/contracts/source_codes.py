"""The sending agency's own codes, published beside the change a command made.

A command may carry `source_codes`: for an enumerated field, the code the sending agency's own
table uses (docs/DOMAIN.md: national code tables map to ours without loss). The service keeps them
with the change and publishes them as its `<service>.source-codes.noted`, so a consumer can map
our value back to the sender's. Codes are not personal data: they name categories.
"""

from __future__ import annotations

from uuid import UUID

from shared.contracts.base import PublicEvent


class SourceCodesNoted(PublicEvent):
    """`command` is the command that made the change; `codes` maps its enumerated fields to the sender's codes;
    `person_id` is the person it was about, if any."""

    person_id: UUID | None = None
    command: str
    codes: dict[str, str]


class IntakeSourceCodesNoted(SourceCodesNoted):
    type = "intake.source-codes.noted"


class ProgrammesSourceCodesNoted(SourceCodesNoted):
    type = "programmes.source-codes.noted"


class ReleaseSourceCodesNoted(SourceCodesNoted):
    type = "release.source-codes.noted"


SOURCE_CODES_EVENTS = (IntakeSourceCodesNoted, ProgrammesSourceCodesNoted, ReleaseSourceCodesNoted)
