"""The task side of bench/fanin.sh: many connections sending to one runner over TCP.

    fanin.py rank N OUT          one rank of a SLURM step: connects through lute_task, sends N TASK_LOG messages back
                                 to back, and writes OUT/setup-RANK.txt: its connection set-up time in microseconds
    fanin.py many C N OUT        one process opens C connections to the runner (each: TCP connect, then the handshake
                                 with the token), then sends N TASK_LOG messages on each, round robin; writes
                                 OUT/setup-many.txt: one set-up time (microseconds) per connection

Set-up time: from before connect() to after the handshake line was written (the runner sends nothing back on
admission; a refused connection would be closed and the next write would fail). Messages are stamped "t=US" like
bench/tasks/py_sender.py (CLOCK_REALTIME microseconds). lute_task must be on PYTHONPATH (src/clients/python).
"""

import json
import os
import resource
import socket
import sys
import time


def rank(count, out):
    import lute_task

    begin = time.perf_counter_ns()
    with lute_task.connect() as lute:
        setup_us = (time.perf_counter_ns() - begin) // 1000
        if not lute.attached:
            sys.exit("not under a Lute runner (LUTE_ADDRESS is not set)")
        for i in range(count):
            lute.log(f"t={time.time_ns() // 1000} {i}")
    with open(os.path.join(out, f"setup-{lute.rank}.txt"), "w") as f:
        f.write(f"{setup_us}\n")


def many(connections, count, out):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < connections + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 64), hard))
    host, _, port = os.environ["LUTE_ADDRESS"].rpartition(":")
    token = os.environ["LUTE_TOKEN"]
    name = socket.gethostname()
    sockets, setups = [], []
    for i in range(connections):
        begin = time.perf_counter_ns()
        sock = socket.create_connection((host.strip("[]"), int(port)))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        handshake = {"v": 1, "token": token, "rank": i, "host": name}
        sock.sendall(json.dumps(handshake).encode() + b"\n")
        setups.append((time.perf_counter_ns() - begin) // 1000)
        sockets.append(sock)
    for n in range(count):
        for i, sock in enumerate(sockets):
            line = f'{{"v":1,"signal":"TASK_LOG","rank":{i},"contents":"t={time.time_ns() // 1000} {n}"}}\n'
            sock.sendall(line.encode())
    for sock in sockets:
        sock.close()
    with open(os.path.join(out, "setup-many.txt"), "w") as f:
        f.write("\n".join(str(s) for s in setups) + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "rank":
        rank(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "many":
        many(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)
