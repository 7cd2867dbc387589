"""lute_task: the task side of the Lute task protocol, version 1.

One file, standard library only, with type hints. Install the wheel (pip install lute_task-VERSION-py3-none-any.whl),
or put the folder lute names in LUTE_PYTHON_CLIENT on PYTHONPATH, or copy this file next to your task.

    import lute_task
    with lute_task.connect() as lute:
        lute.started()
        lute.log("working")
        lute.result(payload={"peaks": 12}, summary={"peaks": "12"})

The runner is found in the environment: LUTE_ADDRESS (host:port, or [address]:port for IPv6) with LUTE_TOKEN
when the runner listens on TCP (the token is presented in the first line of the connection), else LUTE_SOCKET (a
Unix socket). When the task runs without a Lute runner (neither is set) the client is detached: every call does
nothing, so the same task runs stand-alone. When a runner is named but cannot be reached, connect() raises
LuteError at once instead of hanging.

A client may be shared by any number of threads: each request() gets the reply to its own question (replies are
matched by id) within its own timeout.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import socket
import threading
from typing import Any, Mapping, Optional

__all__ = ["Client", "LuteError", "connect", "traceparent", "PROTOCOL_VERSION", "SOCKET_VARIABLE", "ADDRESS_VARIABLE",
           "TOKEN_VARIABLE", "TRACEPARENT_VARIABLE"]

PROTOCOL_VERSION = 1
SOCKET_VARIABLE = "LUTE_SOCKET"
ADDRESS_VARIABLE = "LUTE_ADDRESS"
TOKEN_VARIABLE = "LUTE_TOKEN"
TRACEPARENT_VARIABLE = "TRACEPARENT"
_CONNECT_TIMEOUT = 10.0
_RANK_VARIABLES = ("OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID")


class LuteError(Exception):
    """The runner cannot be reached, or it refused a request."""


def _rank():
    for name in _RANK_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit():
            return int(value)
    return None


def _split_address(address):
    """'host:port' or '[v6 address]:port' -> (host, port); raises LuteError when malformed."""
    host, _, port = address.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        host = ""  # an IPv6 address needs its brackets
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise LuteError(f"{ADDRESS_VARIABLE} must be host:port or [address]:port, not {address!r}")
    return host, int(port)


class _Pending:
    """A request waiting for its reply. The reader thread fills in reply (or error) and then sets done."""

    __slots__ = ("done", "reply", "error")

    def __init__(self):
        self.done = threading.Event()
        self.reply = None
        self.error = None


class Client:
    """A connection to the runner. Thread-safe; use it as a context manager or call close().

    Any number of threads may send and ask at once. Sends are serialised by a lock, so frames never interleave. A
    request registers its id before it is sent and then waits on its own event with its own deadline; one reader
    thread, started by the first request, reads every reply and wakes the caller whose id it carries back. A reply
    for an id nobody waits for (its caller gave up) is ignored. When the connection ends, every caller still waiting
    is woken with a LuteError, and so is every later request.
    """

    def __init__(self, path: Optional[str] = None, address: Optional[str] = None, token: Optional[str] = None) -> None:
        if path is None and address is None:
            address = os.environ.get(ADDRESS_VARIABLE) or None
            path = None if address else os.environ.get(SOCKET_VARIABLE) or None
        if token is None:
            token = os.environ.get(TOKEN_VARIABLE) or None
        self._send_lock = threading.Lock()  # held for the whole of one frame's sendall
        self._state_lock = threading.Lock()  # guards the next five
        self._ids = itertools.count(1)
        self._pending = {}  # request id -> _Pending
        self._reader = None  # the reply reader thread, once a request has started it
        self._ended = None  # why no more replies will come, once the reader has stopped
        self._closing = False
        self._socket = None
        self._file = None
        self._rank = _rank()
        self._host = socket.gethostname()
        if address is not None:
            self._socket = self._connect_tcp(address, token)
        elif path is not None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
            except OSError as error:
                sock.close()
                raise LuteError(f"cannot reach the Lute runner at {SOCKET_VARIABLE}={path}: {error}") from error
            self._socket = sock
        else:
            return
        self._file = self._socket.makefile("rb")

    def _connect_tcp(self, address, token):
        if not token:
            raise LuteError(f"{ADDRESS_VARIABLE} is set but {TOKEN_VARIABLE} is not: the runner refuses connections without its token")
        host, port = _split_address(address)
        try:
            sock = socket.create_connection((host, port), timeout=_CONNECT_TIMEOUT)
        except OSError as error:
            who = self._host if self._rank is None else f"rank {self._rank} on {self._host}"
            raise LuteError(f"{who} cannot reach the Lute runner at {ADDRESS_VARIABLE}={address}: {error}") from error
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        handshake = {"v": PROTOCOL_VERSION, "token": token, "host": self._host}
        if self._rank is not None:
            handshake["rank"] = self._rank
        try:
            sock.sendall(json.dumps(handshake, separators=(",", ":")).encode("utf-8") + b"\n")
        except OSError as error:
            sock.close()
            raise LuteError(f"the Lute runner at {ADDRESS_VARIABLE}={address} closed the connection: {error}") from error
        return sock

    @property
    def attached(self) -> bool:
        """True when connected to a runner; False when the task runs stand-alone."""
        return self._socket is not None

    @property
    def rank(self) -> Optional[int]:
        """This process's MPI or SLURM rank, if any."""
        return self._rank

    def send(self, signal: str, contents: Any = None, _id: Optional[int] = None) -> None:
        """Sends one message. contents may be any JSON-serialisable value."""
        sock = self._socket  # close() may clear it meanwhile; then sendall fails and says so
        if sock is None:
            return
        message = {"v": PROTOCOL_VERSION, "signal": signal, "host": self._host}
        if self._rank is not None:
            message["rank"] = self._rank
        if _id is not None:
            message["id"] = _id
        if contents is not None:
            message["contents"] = contents
        frame = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        with self._send_lock:
            try:
                sock.sendall(frame)
            except OSError as error:
                raise LuteError(f"the Lute runner closed the connection: {error}") from error

    def started(self) -> None:
        self.send("TASK_STARTED")

    def log(self, message: object) -> None:
        self.send("TASK_LOG", str(message))

    def result(self, payload: Any = None, summary: Optional[Mapping[str, str]] = None) -> None:
        """Sends the result: a payload (any JSON value) and/or a summary (a dict of key/values)."""
        contents = {"payload": payload}
        if summary is not None:
            contents["summary"] = summary
        self.send("TASK_RESULT", contents)

    def report(self, title: Optional[str] = None, html: Optional[str] = None, text: Optional[str] = None,
               image: Optional[bytes] = None, media_type: str = "image/png") -> None:
        """Adds a section to the run's HTML report: an HTML fragment, a text, or an image (bytes, e.g. a PNG)."""
        item = {} if title is None else {"title": str(title)}
        if html is not None:
            item["html"] = str(html)
        elif text is not None:
            item["text"] = str(text)
        elif image is not None:
            item["image"] = base64.b64encode(bytes(image)).decode("ascii")
            item["media_type"] = media_type
        else:
            raise ValueError("report() needs html, text or image")
        self.send("TASK_RESULT", {"report": [item]})

    def done(self) -> None:
        self.send("TASK_DONE")

    def failed(self, reason: object) -> None:
        """Says the task failed; the run ends FAILED even if the process exits with 0."""
        self.send("TASK_FAILED", {"reason": str(reason)})

    def cancelled(self) -> None:
        self.send("TASK_CANCELLED")

    def metadata(self, values: Mapping[str, Any]) -> None:
        """Records key/values with the run."""
        self.send("TASK_METADATA", dict(values))

    def request(self, contents: Any = None, timeout: Optional[float] = 30.0) -> Any:
        """Asks the runner's hooks a question and returns the answer (raises LuteError if none answers).

        timeout is how many seconds this call waits for its reply (None: no limit). When it passes, only this call
        fails: the connection and the other threads' requests go on, and the late reply is ignored.
        """
        pending = _Pending()
        with self._state_lock:
            if self._closing:
                raise LuteError("cannot send a request: the connection to the Lute runner is closed")
            if self._socket is None:
                raise LuteError("cannot send a request: the task runs without a Lute runner (neither LUTE_ADDRESS nor LUTE_SOCKET is set)")
            if self._ended is not None:
                raise LuteError(self._ended)
            request_id = next(self._ids)
            # Registered before it is sent: the reply cannot come back before its caller is known.
            self._pending[request_id] = pending
            if self._reader is None:
                self._reader = threading.Thread(target=self._read_replies, name="lute_task replies", daemon=True)
                self._reader.start()
        try:
            self.send("TASK_REQUEST", contents, _id=request_id)
            if not pending.done.wait(timeout):
                raise LuteError(f"no reply from the runner within {timeout} s")
        finally:
            with self._state_lock:
                self._pending.pop(request_id, None)
        if pending.error is not None:
            raise LuteError(pending.error)
        if pending.reply.get("ok"):
            return pending.reply.get("contents")
        raise LuteError(f"the runner refused the request: {pending.reply.get('error', 'no reason given')}")

    def _read_replies(self):
        """The reader thread: hands each reply to the request it answers, until the connection ends."""
        ended = "the Lute runner closed the connection before replying"
        try:
            for line in self._file:
                try:
                    reply = json.loads(line)
                except ValueError:
                    continue  # the runner sends only JSON lines; anything else is not a reply
                request_id = reply.get("reply_to") if isinstance(reply, dict) else None
                if not isinstance(request_id, int):
                    continue
                with self._state_lock:
                    pending = self._pending.pop(request_id, None)
                if pending is not None:  # None: its caller gave up waiting, or it is not a reply to us
                    pending.reply = reply
                    pending.done.set()
        except (OSError, ValueError) as error:  # ValueError: the file was closed under us
            ended = f"the connection to the Lute runner failed before it replied: {error}"
        finally:
            # From here on no reply will come: wake every caller still waiting, and refuse later requests at once.
            # Both happen under the lock a request registers under, so no caller can slip in after and wait for ever.
            with self._state_lock:
                self._ended = ended
                waiting = list(self._pending.values())
                self._pending.clear()
            for pending in waiting:
                pending.error = ended
                pending.done.set()

    def close(self) -> None:
        """Says the task has nothing more to send, waits (up to 5 s) for the runner to read it all, and closes.

        Requests still waiting for replies get them if the runner sends them before it closes its end, else fail.
        """
        with self._state_lock:
            if self._socket is None or self._closing:
                return
            self._closing = True
            reader = self._reader
        sock = self._socket
        try:
            with self._send_lock:  # never between the halves of another thread's frame
                sock.shutdown(socket.SHUT_WR)
            # The runner closes its end once it has read everything we sent (and replied to every request).
            if reader is not None:
                reader.join(5.0)  # the reader reads to the end
            else:
                sock.settimeout(5.0)
                while self._file.read(65536):
                    pass
        except OSError:
            pass
        finally:
            if reader is not None and reader.is_alive():
                # The runner has not closed its end: shutting the socket down ends the reader's blocked read.
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                reader.join()
            self._file.close()
            sock.close()
            self._socket = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> bool:
        self.close()
        return False


def traceparent() -> Optional[str]:
    """The task's span as a W3C traceparent ("00-TRACEID-SPANID-FLAGS") when the runner traces the run, else None.
    Hand it to your tracer as the parent (OpenTelemetry: TraceContextTextMapPropagator().extract({"traceparent": ...}))
    and the task's own spans join the run's trace."""
    return os.environ.get(TRACEPARENT_VARIABLE) or None


def connect(path: Optional[str] = None, address: Optional[str] = None, token: Optional[str] = None) -> Client:
    """Connects to the runner: at address (with token) or path when given, else at LUTE_ADDRESS (with LUTE_TOKEN),
    else at LUTE_SOCKET; detached when none of them is set."""
    return Client(path, address, token)
