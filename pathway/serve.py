"""`pathway serve SERVICE`: one service's nameko process (RPC and HTTP).

Run as its own interpreter (`python -m pathway.serve`), because eventlet must
patch the standard library before anything else is imported, and psycopg must
be told to wait cooperatively before it is imported (docs/STACK.md, trap 3).
"""

import os
import warnings

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

# eventlet's deprecation notice says nothing an operator can act on (docs/STACK.md: leaving nameko later).
warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
warnings.filterwarnings("ignore", message="(?s).*DSA is deprecated")  # eventlet's DNS library; no DSA keys here

import eventlet  # noqa: E402
import eventlet.debug  # noqa: E402
import eventlet.event  # noqa: E402

eventlet.monkey_patch()

import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any, NoReturn  # noqa: E402

from eventlet.queue import LightQueue  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402

from shared.auth.gate import missing_identity_provider  # noqa: E402
from shared.eventstore.opening import StoreUnreachable, reason  # noqa: E402
from shared.messaging.broker_settings import nameko_config  # noqa: E402
from shared.messaging.publishers import service_amqp_uri  # noqa: E402

DEFAULT_PORTS = {"intake": 8001, "programmes": 8002, "release": 8003}


def service_class(name: str) -> Any:
    if name == "intake":
        from services.intake.service import IntakeService

        return IntakeService
    if name == "programmes":
        from services.programmes.service import ProgrammesService

        return ProgrammesService
    from services.release.service import ReleaseService

    return ReleaseService


# How long a requested stop may take: running workers finish, messages are acked. While the broker
# is down nameko's stop waits for its consumer to reconnect, so it is bounded, then forced.
STOP_GRACE_SECONDS = 4.0
KILL_GRACE_SECONDS = 1.0

log = logging.getLogger("pathway.serve")


class ReportingContainer(ServiceContainer):
    """A nameko container that reports its own death, the moment it starts dying.

    nameko kills a container when one of its threads fails (a reply that cannot
    be published while the broker is down, say), and `wait()` only hears of it
    once the kill has finished, which may never happen while the broker is
    away. Knowing at once lets the process exit and be restarted instead of
    living on without serving.
    """

    deaths: LightQueue

    def kill(self, exc_info: Any = None) -> None:
        if exc_info is not None:
            self.deaths.put(("died", f"{type(exc_info[1]).__name__}: {exc_info[1]}"))
        super().kill(exc_info)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in DEFAULT_PORTS:
        print("usage: pathway serve intake|programmes|release", file=sys.stderr)
        return 2
    name = argv[0]
    unguarded = missing_identity_provider(os.environ)
    if unguarded is not None:
        print(f"pathway serve {name}: {unguarded}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=os.environ.get("PATHWAY_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    host = os.environ.get("PATHWAY_HTTP_HOST", "127.0.0.1")
    port = os.environ.get(f"{name.upper()}_HTTP_PORT") or str(DEFAULT_PORTS[name])
    config = {
        # <SERVICE>_AMQP_URI, else AMQP_URI: its own broker user; TLS and heartbeat from PATHWAY_AMQP_*.
        **nameko_config(service_amqp_uri(name, os.environ)),
        "WEB_SERVER_ADDRESS": f"{host}:{port}",
        "max_workers": int(os.environ.get("PATHWAY_MAX_WORKERS", "10")),
    }
    # What ends the process, first come first served: a signal, or the container's death.
    events: LightQueue = LightQueue()
    runner = ServiceRunner(config)

    class Container(ReportingContainer):
        deaths = events

    runner.container_cls = Container
    runner.add_service(service_class(name))

    def on_signal(signum: int, _frame: Any) -> None:
        events.put(("signal", signal.Signals(signum).name))

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    started = eventlet.event.Event()

    def start() -> None:
        # In its own green thread: with the broker down, start() waits for it, and a signal must still stop us.
        # Its store is waited for while PostgreSQL refuses (services/*/service.py), up to PATHWAY_START_TIMEOUT.
        # eventlet would print the traceback of each green thread a failed start ends (an extension's setup, the
        # pool waiting on it): the failure is said once, in one line, below, and is no bug to trace.
        eventlet.debug.hub_exceptions(False)
        try:
            runner.start()
        except StoreUnreachable as error:  # where and why, already said in words
            events.put(("not started", str(error)))
            return
        except Exception as error:  # noqa: BLE001 - whatever stops it starting ends the process, said once
            events.put(("not started", f"{type(error).__name__}: {reason(error)}"))
            return
        eventlet.debug.hub_exceptions(True)  # from here on, a green thread's crash is worth its traceback
        started.send()
        log.info("%s serving RPC and HTTP on %s:%s", name, host, port)

    def tick_until_started() -> None:
        # A signal's handler runs inside the hub's poll, which then sleeps on until its next timer (the store's
        # wait may pause 15s between attempts): ticks keep that short, so that SIGTERM stops a waiting start at once.
        while not started.ready():
            eventlet.sleep(0.5)

    eventlet.spawn(start)
    eventlet.spawn(tick_until_started)
    kind, why = events.get()
    if kind == "not started":
        log.error("%s: could not start: %s; exiting so that a supervisor restarts it", name, why)
        exit_now(1)
    if kind == "died":
        log.error("%s: the nameko container died (%s); exiting so that a supervisor restarts it", name, why)
        exit_now(1)
    if not started.ready():  # waiting for its store or its broker: no work to finish, and nameko cannot stop it
        log.info("%s: %s received before it had started; exiting", name, why)
        exit_now(0)
    log.info("%s: %s received, stopping", name, why)
    if not finished_within(runner.stop, STOP_GRACE_SECONDS):
        log.warning("%s: not stopped within %.0fs (is the broker down?); killing it", name, STOP_GRACE_SECONDS)
        if not finished_within(runner.kill, KILL_GRACE_SECONDS):
            exit_now(1)
    exit_now(0)


def finished_within(action: Callable[[], None], seconds: float) -> bool:
    try:
        with eventlet.Timeout(seconds):
            action()
    except eventlet.Timeout:
        return False
    return True


def exit_now(code: int) -> NoReturn:
    """Exit without waiting for green threads still stuck on a broker that is away (a normal exit would)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
