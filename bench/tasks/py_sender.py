"""The Python side of bench/run.sh.

    py_sender.py flood N               N TASK_LOG messages through lute_task, back to back, each stamped "t=US I"
    py_sender.py raw-write SOCKET N    the same lines over a plain Unix socket, one sendall each (the floor)

Stamps are CLOCK_REALTIME in microseconds since the Unix epoch (time.time_ns() // 1000). lute_task must be on
PYTHONPATH (src/clients/python).
"""

import json
import socket
import sys
import time


def flood(count):
    import lute_task

    with lute_task.connect() as lute:
        if not lute.attached:
            sys.exit("not under a Lute runner (LUTE_SOCKET is not set)")
        for i in range(count):
            lute.log(f"t={time.time_ns() // 1000} {i}")


def raw_write(path, count):
    host = json.dumps(socket.gethostname())
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    try:
        for i in range(count):
            line = f'{{"v":1,"signal":"TASK_LOG","host":{host},"contents":"t={time.time_ns() // 1000} {i}"}}\n'
            sock.sendall(line.encode("utf-8"))
        sock.shutdown(socket.SHUT_WR)
    finally:
        sock.close()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "flood":
        flood(int(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "raw-write":
        raw_write(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
