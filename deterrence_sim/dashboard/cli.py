"""``deterrence-sim dashboard``: serve the classroom dashboard with the Solara server.

Imports nothing heavy: Solara is started in its own process (``python -m solara run``), so the
other commands stay fast.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys

from ..errors import UsageError

__all__ = ["exposure_warning", "register", "server_command", "server_env"]

APP_MODULE = "deterrence_sim.dashboard.app"


def server_command(host: str, port: int) -> list[str]:
    """The command that serves the dashboard.

    ``--production`` loads the bundled front-end (with ``solara-assets`` installed it needs no
    internet); ``--no-check-version`` skips the PyPI version check, which would stall offline.
    """
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--no-check-version",
    ]


def server_env() -> dict[str, str]:
    """Environment for the server: no usage telemetry (classrooms, offline CI)."""
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # No "Made with Solara" badge over the metric cards.
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    # Solara's 13-line samesite-cookie warning on every page load (plain http, iframe advice).
    env.setdefault("PYTHONWARNINGS", "ignore:Cookies with samesite=none require https")
    return env


#: Addresses that only this machine can reach.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def exposure_warning(host: str) -> str | None:
    """The warning printed when the server listens beyond this machine (e.g. --host 0.0.0.0)."""
    if host in LOCAL_HOSTS:
        return None
    return (
        f"WARNING: listening on {host}: anyone on the network who can reach this machine can "
        "open the dashboard and use this computer's processor (there is no login). Use it on "
        "a trusted classroom network only; the default --host 127.0.0.1 keeps it private."
    )


def _check_port(host: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise UsageError(f"dashboard: --port {port} is not a port number (allowed: 1–65535)")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        # As uvicorn does: a port left in TIME_WAIT by a stopped server is free; one another
        # server listens on is not.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UsageError(
                f"dashboard: cannot listen on {host}:{port} ({exc.strerror}); "
                "pick another port with --port or another address with --host"
            ) from None


def _serve(args: argparse.Namespace) -> int:
    _check_port(args.host, args.port)
    url = f"http://{args.host}:{args.port}/"
    warning = exposure_warning(args.host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(f"Serving the deterrence-sim dashboard on {url} (Ctrl-C to stop)", flush=True)
    if args.open:
        import threading
        import webbrowser

        threading.Timer(3.0, webbrowser.open, args=(url,)).start()
    cmd = server_command(args.host, args.port)
    if os.name == "posix" and not args.open:
        # Replace this process by the server: Ctrl-C and kill reach it directly, with no
        # orphaned child left behind.
        os.execve(sys.executable, cmd, server_env())
    proc = subprocess.Popen(cmd, env=server_env())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``dashboard`` command."""
    p = subparsers.add_parser(
        "dashboard",
        help="serve the classroom dashboard in a web browser",
        description=(
            "Serve the classroom dashboard (Solara) on a local web address. Open the printed URL "
            "in a browser. Works offline."
        ),
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: %(default)s, this machine only; 0.0.0.0 lets "
        "anyone on the network connect)",
    )
    p.add_argument(
        "--port", type=int, default=8765, help="port to listen on (default: %(default)s)"
    )
    p.add_argument("--open", action="store_true", help="also open the page in the default browser")
    p.set_defaults(func=_serve)
