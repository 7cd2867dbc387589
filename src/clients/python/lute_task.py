"""lute_task: the task side of the Lute task protocol, version 1.

One file, standard library only. Copy it next to your task or put its folder on PYTHONPATH.

    import lute_task
    with lute_task.connect() as lute:
        lute.started()
        lute.log("working")
        lute.result(payload={"peaks": 12}, summary={"peaks": "12"})

When the task runs without a Lute runner (LUTE_SOCKET is not set) the client is detached: every call does
nothing, so the same task runs stand-alone. When LUTE_SOCKET is set but the runner cannot be reached, connect()
raises LuteError at once instead of hanging.
"""

import base64
import itertools
import json
import os
import socket
import threading

__all__ = ["Client", "LuteError", "connect", "PROTOCOL_VERSION", "SOCKET_VARIABLE"]

PROTOCOL_VERSION = 1
SOCKET_VARIABLE = "LUTE_SOCKET"
_RANK_VARIABLES = ("OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID")


class LuteError(Exception):
    """The runner cannot be reached, or it refused a request."""


def _rank():
    for name in _RANK_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit():
            return int(value)
    return None


class Client:
    """A connection to the runner. Thread-safe; use it as a context manager or call close()."""

    def __init__(self, path=None):
        path = path if path is not None else os.environ.get(SOCKET_VARIABLE) or None
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._socket = None
        self._reader = None
        self._rank = _rank()
        self._host = socket.gethostname()
        if path is None:
            return
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
        except OSError as error:
            sock.close()
            raise LuteError(f"cannot reach the Lute runner at {SOCKET_VARIABLE}={path}: {error}") from error
        self._socket = sock
        self._reader = sock.makefile("rb")

    @property
    def attached(self):
        """True when connected to a runner; False when the task runs stand-alone."""
        return self._socket is not None

    @property
    def rank(self):
        """This process's MPI or SLURM rank, if any."""
        return self._rank

    def send(self, signal, contents=None, _id=None):
        """Sends one message. contents may be any JSON-serialisable value."""
        if self._socket is None:
            return
        message = {"v": PROTOCOL_VERSION, "signal": signal, "host": self._host}
        if self._rank is not None:
            message["rank"] = self._rank
        if _id is not None:
            message["id"] = _id
        if contents is not None:
            message["contents"] = contents
        frame = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        with self._lock:
            try:
                self._socket.sendall(frame)
            except OSError as error:
                raise LuteError(f"the Lute runner closed the connection: {error}") from error

    def started(self):
        self.send("TASK_STARTED")

    def log(self, message):
        self.send("TASK_LOG", str(message))

    def result(self, payload=None, summary=None):
        """Sends the result: a payload (any JSON value) and/or a summary (a dict of key/values)."""
        contents = {"payload": payload}
        if summary is not None:
            contents["summary"] = summary
        self.send("TASK_RESULT", contents)

    def report(self, title=None, html=None, text=None, image=None, media_type="image/png"):
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

    def done(self):
        self.send("TASK_DONE")

    def failed(self, reason):
        """Says the task failed; the run ends FAILED even if the process exits with 0."""
        self.send("TASK_FAILED", {"reason": str(reason)})

    def cancelled(self):
        self.send("TASK_CANCELLED")

    def metadata(self, values):
        """Records key/values with the run."""
        self.send("TASK_METADATA", dict(values))

    def request(self, contents=None, timeout=30.0):
        """Asks the runner's hooks a question and returns the answer (raises LuteError if none answers)."""
        if self._socket is None:
            raise LuteError("cannot send a request: the task runs without a Lute runner (LUTE_SOCKET is not set)")
        with self._lock:
            request_id = next(self._ids)
        self.send("TASK_REQUEST", contents, _id=request_id)
        self._socket.settimeout(timeout)
        try:
            while True:
                line = self._reader.readline()
                if not line:
                    raise LuteError("the Lute runner closed the connection before replying")
                reply = json.loads(line)
                if reply.get("reply_to") != request_id:
                    continue
                if reply.get("ok"):
                    return reply.get("contents")
                raise LuteError(f"the runner refused the request: {reply.get('error', 'no reason given')}")
        except socket.timeout as error:
            raise LuteError(f"no reply from the runner within {timeout} s") from error
        finally:
            self._socket.settimeout(None)

    def close(self):
        if self._socket is None:
            return
        try:
            self._socket.shutdown(socket.SHUT_WR)
            # The runner closes its end once it has read everything we sent.
            self._socket.settimeout(5.0)
            while self._reader.read(65536):
                pass
        except OSError:
            pass
        finally:
            self._reader.close()
            self._socket.close()
            self._socket = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def connect(path=None):
    """Connects to the runner named in LUTE_SOCKET (or path); detached when neither is set."""
    return Client(path)
