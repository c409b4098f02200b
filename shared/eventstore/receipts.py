"""Receipts of applied commands, so a command sent again with its command_id is not applied twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from shared.domain import PathwayAggregate, Provenance

RECEIPT_NAMESPACE = UUID("9a4b6c1d-2e3f-5a7b-8c9d-0e1f2a3b4c5d")


class CommandReceipt(PathwayAggregate):
    """Saved in the same transaction as the command's effects: both or neither."""

    class Issued(PathwayAggregate.Created):
        command: str
        command_id: str
        fingerprint: str
        result: dict[str, Any]

    def __init__(self, command: str, command_id: str, fingerprint: str, result: dict[str, Any], **_: Any) -> None:
        self.command = command
        self.command_id = command_id
        self.fingerprint = fingerprint
        self.result = result

    @staticmethod
    def id_for(service: str, command_id: str) -> UUID:
        return uuid5(RECEIPT_NAMESPACE, f"{service}:{command_id}")

    @classmethod
    def issue(
        cls,
        service: str,
        command: str,
        command_id: str,
        fingerprint: str,
        result: dict[str, Any],
        by: Provenance,
        occurred_at: datetime,
    ) -> CommandReceipt:
        return cls._create(
            cls.Issued,
            id=cls.id_for(service, command_id),
            command=command,
            command_id=command_id,
            fingerprint=fingerprint,
            result=result,
            occurred_at=occurred_at,
            **by.fields(),
        )
