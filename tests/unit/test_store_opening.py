"""Opening a store at start while PostgreSQL refuses: one line per refusal, pauses that grow, a bounded wait that
ends in one line naming the database and the reason. No server needed: the attempts are fakes."""

from __future__ import annotations

import logging
import threading

import psycopg
import pytest

from shared.eventstore.opening import StoreUnreachable, reason, start_timeout, when_reachable
from shared.eventstore.settings import postgres_env

ENV = postgres_env("intake", {"INTAKE_POSTGRES_DBNAME": "it_intake", "POSTGRES_PASSWORD": "s3cret"}, "consume")
TOO_MANY = (
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  sorry, too many clients already'
)


class RefusedTimes:
    """Refuses the first `times` attempts as PostgreSQL does when its slots are taken, then answers."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.attempts = 0

    def __call__(self) -> str:
        self.attempts += 1
        if self.attempts <= self.times:
            raise psycopg.OperationalError(TOO_MANY + "\n")
        return "opened"


def test_a_refused_start_is_tried_again_each_refusal_said_in_one_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    attempt = RefusedTimes(2)

    assert when_reachable("consume intake", ENV, attempt, timeout=10, stop=_fast_stop()) == "opened"

    assert attempt.attempts == 3
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert all("\n" not in line for line in lines)
    assert lines[0].startswith("consume intake: database it_intake on 127.0.0.1:5432 refused (FATAL: sorry, too many")
    assert not any("s3cret" in line for line in lines)


def test_refusals_beyond_the_start_timeout_end_in_one_line_naming_the_database_and_why() -> None:
    with pytest.raises(StoreUnreachable) as raised:
        when_reachable("serve intake", ENV, RefusedTimes(1000), timeout=0.05)

    message = str(raised.value)
    assert message.startswith("serve intake: database it_intake on 127.0.0.1:5432 did not let us in within 0s")
    assert message.endswith("FATAL: sorry, too many clients already")
    assert "\n" not in message


def test_a_stop_while_waiting_ends_the_wait_without_an_error() -> None:
    stop = threading.Event()
    stop.set()

    assert when_reachable("inbox intake", ENV, RefusedTimes(1000), timeout=60, stop=stop) is None


def test_what_is_not_a_refusal_is_not_waited_out() -> None:
    def broken() -> str:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        when_reachable("relay intake", ENV, broken, timeout=60)


def test_a_reason_hides_passwords_and_stays_one_short_line() -> None:
    assert reason(psycopg.OperationalError("bad dsn password=hunter2 host=x")) == "bad dsn password=*** host=x"
    assert reason(ValueError("amqp://user:hunter2@host/ refused")) == "amqp://user:***@host/ refused"
    assert len(reason(ValueError("x" * 1000))) == 300


@pytest.mark.parametrize(("value", "seconds"), [(None, 120.0), ("30", 30.0), ("soon", 120.0), ("0", 120.0)])
def test_the_start_timeout_is_read_from_the_environment(value: str | None, seconds: float) -> None:
    assert start_timeout({} if value is None else {"PATHWAY_START_TIMEOUT": value}) == seconds


def _fast_stop() -> threading.Event:
    """A stop whose waits return at once: the pauses' lengths are not what is tested."""

    class Impatient(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            return False

    return Impatient()
