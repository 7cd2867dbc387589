#!/usr/bin/env python3
"""A task that attacks its runner's protocol reader (docs/reliability.md, "Hostile and broken input").

Run by `lute run` (it needs LUTE_SOCKET). Sends, with a fixed seed, rounds of frames of every kind a broken or
hostile task could send, mixed with valid ones, then opens and drops many connections without a word. Writes what
it sent to MANIFEST (JSON) so that the caller can count the runner's log lines against it, then waits for the
runner to have read everything (a request, whose reply comes after every earlier message) and reports the runner's
peak resident memory (VmHWM of its parent, the runner) in the run's summary.

usage: fuzz_task.py SEED ROUNDS SECONDS CONNECTIONS MAX_MESSAGE_BYTES MANIFEST
  ROUNDS   stop after this many rounds (0: no limit)
  SECONDS  stop after this much time (0: no limit)
"""
import json
import os
import random
import socket
import sys
import time

seed, rounds, seconds, connections, limit, manifest = (
    int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
rng = random.Random(seed)
path = os.environ["LUTE_SOCKET"]
sent = {"bad": {}, "unknown_signal": 0, "valid": 0, "connections_dropped": 0, "rounds": 0}


def bad(kind, frame, into):
    sent["bad"][kind] = sent["bad"].get(kind, 0) + 1
    into.append(frame)


def message(signal, contents):
    return json.dumps({"signal": signal, "contents": contents}).encode()


def random_bytes():
    # Anything but line breaks (a frame ends at \n; a lone \r is trimmed to an empty frame, which is skipped) and
    # never starting with '{' (random bytes are then never a valid message).
    size = rng.randint(1, 300)
    data = bytes(b for b in (rng.randrange(256) for _ in range(size)) if b not in (10, 13))
    return (b"x" + data) if not data or data[:1] == b"{" else data


def one_round(frames):
    bad("random bytes", random_bytes(), frames)
    valid = message("TASK_LOG", {"message": "fuzz-ok %d" % sent["valid"], "n": rng.random()})
    bad("truncated frame", valid[: rng.randint(1, len(valid) - 1)], frames)
    depth = rng.randint(65, 5000)
    bad("deep nesting", b'{"signal": "TASK_LOG", "contents": ' + b"[" * depth + b"]" * depth + b"}", frames)
    bad("invalid UTF-8", b'{"signal": "TASK_LOG", "contents": "' + bytes([0xC3, 0x28, 0xFF, 0xFE]) + b'"}', frames)
    bad("wrong field", rng.choice([
        b'{"signal": 7}', b'{"signal": "TASK_LOG", "rank": -1}', b'{"signal": "TASK_LOG", "id": "x"}',
        b'{"v": 2, "signal": "TASK_LOG"}', b'{"signal": "TASK_REQUEST"}', b'[1, 2]', b'"just a string"', b'null',
        b'{"signal": "TASK_LOG", "host": {}}', b'{"signal": "TASK_LOG",}']), frames)
    if rng.random() < 0.05:
        bad("huge frame", b'{"signal": "TASK_LOG", "contents": "' + b"h" * (limit + rng.randint(1, 3 * limit)) + b'"}', frames)
    sent["unknown_signal"] += 1
    frames.append(message("TASK_FROB_%d" % rng.randrange(1000), {"x": 1}))
    frames.append(valid)
    sent["valid"] += 1
    rng.shuffle(frames)


start = time.monotonic()
main = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
main.connect(path)
while (rounds == 0 or sent["rounds"] < rounds) and (seconds == 0 or time.monotonic() - start < seconds):
    frames = []
    one_round(frames)
    sent["rounds"] += 1
    if rng.random() < 0.1:
        # A connection of its own that ends in the middle of a frame: the partial frame is read as a last line.
        side = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        side.connect(path)
        side.sendall(b"\n".join(frames) + b"\n" + b'{"signal": "TASK_LOG", "contents": "cut')
        side.close()
        sent["bad"]["truncated at close"] = sent["bad"].get("truncated at close", 0) + 1
    else:
        main.sendall(b"\n".join(frames) + b"\n")

for _ in range(connections):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    c.close()
    sent["connections_dropped"] += 1

# Barrier: the reply to a request comes after every message sent before it on this connection was handled.
main.sendall(b'{"signal": "TASK_REQUEST", "id": 1, "contents": "barrier"}\n')
reply = b""
while not reply.endswith(b"\n"):
    chunk = main.recv(65536)
    if not chunk:
        break
    reply += chunk

runner = os.getppid()
peak_kib = 0
with open("/proc/%d/status" % runner) as status:
    for line in status:
        if line.startswith("VmHWM:"):
            peak_kib = int(line.split()[1])
sent["runner_pid"] = runner
sent["runner_peak_rss_kib"] = peak_kib
sent["seconds"] = round(time.monotonic() - start, 3)
with open(manifest, "w") as out:
    json.dump(sent, out, indent=1, sort_keys=True)
summary = {"runner_peak_rss_kib": str(peak_kib), "bad_frames": str(sum(sent["bad"].values()))}
main.sendall(json.dumps({"signal": "TASK_RESULT", "contents": {"payload": "survived", "summary": summary}}).encode() + b"\n")
main.close()
