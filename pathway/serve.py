"""`pathway serve SERVICE`: one service's nameko process (RPC and HTTP).

Run as its own interpreter (`python -m pathway.serve`), because eventlet must
patch the standard library before anything else is imported, and psycopg must
be told to wait cooperatively before it is imported (STACK.md, trap 3).
"""

import os
import warnings

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

# eventlet's deprecation notice says nothing an operator can act on (STACK.md: leaving nameko later).
warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402

DEFAULT_PORTS = {"intake": 8001, "programmes": 8002, "release": 8003}
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


def service_class(name: str) -> Any:
    if name == "intake":
        from services.intake.service import IntakeService

        return IntakeService
    if name == "programmes":
        from services.programmes.service import ProgrammesService

        return ProgrammesService
    from services.release.service import ReleaseService

    return ReleaseService


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in DEFAULT_PORTS:
        print("usage: pathway serve intake|programmes|release", file=sys.stderr)
        return 2
    name = argv[0]
    logging.basicConfig(
        level=os.environ.get("PATHWAY_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    host = os.environ.get("PATHWAY_HTTP_HOST", "127.0.0.1")
    port = os.environ.get(f"{name.upper()}_HTTP_PORT") or str(DEFAULT_PORTS[name])
    config = {
        "AMQP_URI": os.environ.get("AMQP_URI") or DEFAULT_AMQP_URI,
        "WEB_SERVER_ADDRESS": f"{host}:{port}",
        "max_workers": int(os.environ.get("PATHWAY_MAX_WORKERS", "10")),
    }
    runner = ServiceRunner(config)
    runner.add_service(service_class(name))
    stopping = eventlet.event.Event()

    def stop(*_: Any) -> None:
        if not stopping.ready():
            stopping.send(True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runner.start()
    logging.getLogger("pathway.serve").info("%s serving RPC and HTTP on %s:%s", name, host, port)
    stopping.wait()
    runner.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
