"""Building blocks every contract uses."""

from __future__ import annotations

import hashlib
import json
import re
import types
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin
from uuid import UUID, uuid5

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from shared.errors import FieldProblem, InvalidInput

# Fixed forever: person ids are uuid5 of "issuer:value" in this namespace, so a
# repeated registration of the same national identifier yields the same id.
PERSON_NAMESPACE = UUID("6f1c3c4e-2b7a-5d4e-9a51-0c2e8f7b1a90")

Text = Annotated[str, Field(min_length=1, max_length=200)]
Count = Annotated[int, Field(ge=0)]
PositiveCount = Annotated[int, Field(ge=1)]


class Contract(BaseModel):
    """Frozen, and never echoes input values in its errors (they may be personal data)."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="forbid")


class Actor(Contract):
    """Who issued a command, and for which agency; every event records it."""

    id: Text
    role: Text
    agency: Text


class NationalId(Contract):
    """An identifier as an agency knows it: who issued it, and its value."""

    issuer: Text
    value: Text

    def key(self) -> str:
        return f"{self.issuer}:{self.value}"


class PublishedActor(BaseModel):
    """The actor as public events carry it: read leniently, like every published payload."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")

    id: str
    role: str
    agency: str
    # Who entered a record its actor recorded first (a migration keeps each historic record's officer as the actor);
    # left out when the actor entered it themselves.
    entered_by: str | None = Field(default=None, exclude_if=lambda value: value is None)


class PublishedNationalId(BaseModel):
    """A national identifier inside a public event: read leniently."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")

    issuer: str
    value: str


def person_id_for(national_id: NationalId) -> UUID:
    """The person id intake gives a national identifier on registration."""
    return uuid5(PERSON_NAMESPACE, national_id.key())


class Command(Contract):
    """An instruction to one service. `command` names it on every transport."""

    command: ClassVar[str]
    # The fields a command had when first published, where fields were added since (None: all
    # of them). A field added later is left out of the fingerprint while at its default, so a
    # command sent before the field existed keeps the fingerprint its receipt was saved with.
    fingerprint_fields: ClassVar[frozenset[str] | None] = None
    actor: Actor
    # The sending agency's own code beside an enumerated field's value, by field name (docs/DOMAIN.md: national
    # code tables map to ours without loss). Kept and published beside the change the command made.
    source_codes: dict[Text, Text] | None = None

    @model_validator(mode="after")
    def _codes_name_enumerated_fields(self) -> Command:
        enumerated = enumerated_fields(type(self))
        if self.source_codes and not set(self.source_codes) <= enumerated:
            known = ", ".join(sorted(enumerated)) or "none"
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "source_codes", "may only name this command's enumerated fields ({known})", {"known": known}
                        ),
                        loc=("source_codes",),
                        input=None,
                    )
                ],
            )
        return self

    command_id: Text | None = None

    def fingerprint(self, **resolved: Any) -> str:
        """A digest of what the command asks for, to tell a repeat from a conflicting reuse.

        The actor and command id are left out (a resend by another clerk is the
        same command); `resolved` replaces references by what they resolved to.
        """
        # The sender's codes annotate what is asked without changing it (and came later: commands keep the
        # fingerprints their receipts were saved with).
        ignored = {"actor", "command_id", "source_codes"} | ({"national_id"} if "person_id" in resolved else set())
        if self.fingerprint_fields is not None:
            ignored |= {
                name
                for name, field in type(self).model_fields.items()
                if name not in self.fingerprint_fields and getattr(self, name) == field.default
            }
        content = self.model_dump(mode="json", exclude=ignored)
        content.update({k: str(v) for k, v in resolved.items()})
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(f"{self.command}:{canonical}".encode()).hexdigest()


def enumerated_fields(command: type[Command]) -> set[str]:
    """The fields whose value is one of a fixed list (a Literal, or an optional one)."""
    return {name for name, field in command.model_fields.items() if _is_enumeration(field.annotation)}


def _is_enumeration(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Literal:
        return True
    if origin is Annotated:
        return _is_enumeration(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [member for member in get_args(annotation) if member is not type(None)]
        return len(members) == 1 and _is_enumeration(members[0])
    return False


class PersonCommand(Command):
    """A command about a person, named by our id or by the agency's national identifier."""

    person_id: UUID | None = None
    national_id: NationalId | None = None

    @model_validator(mode="after")
    def _names_one_person(self) -> PersonCommand:
        if (self.person_id is None) == (self.national_id is None):
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("person_reference", "give either person_id or national_id"),
                        loc=("person_id",),
                        input=None,
                    )
                ],
            )
        return self


class PublicEvent(BaseModel):
    """The payload of a public event. Read leniently: newer producers may add fields."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")

    type: ClassVar[str]
    version: ClassVar[int] = 1


# Messages for error types whose default text quotes part of the input.
_PLAIN_PROBLEMS = {
    "missing": "required",
    "extra_forbidden": "unknown field",
    "uuid_parsing": "must be a UUID",
    "uuid_type": "must be a UUID",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_type": "must be a date (YYYY-MM-DD)",
    "datetime_parsing": "must be a date and time with a UTC offset (ISO 8601)",
    "datetime_from_date_parsing": "must be a date and time with a UTC offset (ISO 8601)",
    "datetime_type": "must be a date and time with a UTC offset (ISO 8601)",
    "timezone_aware": "must include a UTC offset",
    "string_too_short": "must not be empty",
    "json_invalid": "is not valid JSON",
}


def problems_from(error: ValidationError) -> list[FieldProblem]:
    """Field-by-field problems, worded without echoing the input."""
    problems = []
    for detail in error.errors(include_input=False, include_url=False):
        field = ".".join(_named_parts(detail["loc"], detail["type"])) or "(command)"
        problem = _PLAIN_PROBLEMS.get(detail["type"], detail["msg"])
        problems.append(FieldProblem(field, problem))
    return problems


# A location part that may be shown: a field name as contracts declare them, or a list index.
_SHOWN_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|[0-9]+")


def _named_parts(loc: tuple[int | str, ...], error_type: str) -> list[str]:
    """The location without the input's own keys, which may be long, or personal data.

    An unknown field is reported at its parent; a dict's key (pydantic marks a bad key with a
    following "[key]") and any part not shaped like a field name are shown as "(key)".
    """
    if error_type == "extra_forbidden":
        loc = loc[:-1]
    parts = [str(part) for part in loc]
    for index, part in enumerate(parts):
        if part == "[key]" and index > 0:
            parts[index - 1] = "(key)"
    return [part if _SHOWN_PART.fullmatch(part) else "(key)" for part in parts if part != "[key]"]


def validate(model: type[BaseModel], data: Any) -> Any:
    """Validate `data` against a contract, raising InvalidInput that names each field."""
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("(command)", "must be a JSON object")])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(problems_from(error)) from None


__all__ = [
    "Actor",
    "Command",
    "Contract",
    "Count",
    "NationalId",
    "PersonCommand",
    "PositiveCount",
    "PublicEvent",
    "Text",
    "person_id_for",
    "problems_from",
    "validate",
]
