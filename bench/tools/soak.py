#!/usr/bin/env python3
"""Soak test: runs a mixed workload through `lute run` for a set time and reports failures and resource growth.

Each round starts a batch of runs at once, drawn from tasks that complete, fail, crash on a signal, time out while
ignoring SIGTERM, flood their output, send messages, leave children behind, or stop themselves and get cancelled.
It checks what every run must end with (its expected exit code and status, a row in the store, no process left
behind, no socket directory left behind) and samples the machine between rounds (processes, open files of the
store, store size). Not part of the test suite: run it for minutes or hours with bench/soak.sh.
"""
import argparse
import collections
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

TASKS = {
    # name: (task definition, expected exit code of lute run, expected status)
    "ok": ({"command": ["sh", "-c", "echo fine"]}, 0, "Completed"),
    "fails": ({"command": ["sh", "-c", "echo failing >&2; exit 3"]}, 1, "Failed"),
    "segv": ({"command": ["sh", "-c", "kill -SEGV $$"]}, 1, "Failed"),
    "timeout": ({"shell": "trap '' TERM; sleep 60 & wait", "timeout": "300ms", "grace_period": "200ms"}, 4, "TimedOut"),
    "flood": ({"command": ["sh", "-c", "seq 1 20000"]}, 0, "Completed"),
    "messages": ({"shell": "for i in 1 2 3 4 5 6 7 8 9 10; do \"$LUTE\" emit log \"message $i\"; done; \"$LUTE\" emit result '{\"payload\": 1}'"}, 0, "Completed"),
    "orphans": ({"shell": "trap '' TERM; (trap '' TERM; exec sleep 60) & echo left a child"}, 0, "Completed"),
}


def write_tasks(folder, lute):
    lines = ["tasks:"]
    for name, (definition, _, _) in TASKS.items():
        lines.append(f"  {name}:")
        for key, value in definition.items():
            lines.append(f"    {key}: {json.dumps(value)}")
        lines.append(f"    environment: {{ set: {{ LUTE: {json.dumps(lute)} }} }}")
    path = os.path.join(folder, "soak.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def session_members(sid):
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in ("Z", "X") and fields[3] == str(sid):
            members.append(int(entry))
    return members


def process_count():
    return sum(1 for e in os.listdir("/proc") if e.isdigit())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lute", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.lute = os.path.abspath(args.lute)
    rng = random.Random(args.seed)

    work = tempfile.mkdtemp(prefix="lute-soak-")
    sockets = os.path.join(work, "tmp")
    os.mkdir(sockets)
    with open(os.path.join(work, "plugins.yaml"), "w") as f:
        f.write(f"directory: {os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.lute))), 'plugins')}\n"
                "store: store/lute.db\nlogs: logs\nconsole_task_output: false\n")
    tasks = write_tasks(work, os.path.abspath(args.lute))
    env = dict(os.environ, TMPDIR=sockets)

    launched = collections.Counter()
    failures = []
    samples = []
    processes_before = process_count()
    started = time.monotonic()
    while time.monotonic() - started < args.seconds:
        batch = [rng.choice(list(TASKS)) for _ in range(args.parallel)]
        children = []
        for name in batch:
            child = subprocess.Popen([args.lute, "run", tasks, name, "--config", os.path.join(work, "plugins.yaml")],
                                     cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
            children.append((name, child))
        for name, child in children:
            try:
                out, err = child.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                child.kill()
                out, err = child.communicate()
                failures.append(f"{name}: lute run did not end within 120 s")
                continue
            launched[name] += 1
            expected = TASKS[name][1]
            if child.returncode != expected:
                failures.append(f"{name}: exit code {child.returncode}, expected {expected}: {err.strip()[-300:]}")
            if "database is locked" in out + err or "internal error" in out + err:
                failures.append(f"{name}: {err.strip()[-300:]}")
        # Whatever a task left behind must be gone by now: the soak's own children lead their sessions.
        for _, child in children:
            left = session_members(child.pid)
            if left:
                failures.append(f"processes {left} of lute run {child.pid}'s session outlived it")
                for pid in left:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        store = os.path.join(work, "store", "lute.db")
        samples.append((time.monotonic() - started, process_count(), os.path.getsize(store) if os.path.exists(store) else 0,
                        len(os.listdir(sockets))))

    runs = sum(launched.values())
    with sqlite3.connect(os.path.join(work, "store", "lute.db")) as db:
        rows = dict(db.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall())
        unfinished = db.execute("SELECT count(*) FROM runs WHERE ended_at IS NULL").fetchone()[0]
        wrong = []
        for name, (_, _, status) in TASKS.items():
            count = db.execute("SELECT count(*) FROM runs WHERE task = ? AND status != ?", (name, status)).fetchone()[0]
            if count:
                wrong.append(f"{count} {name} run(s) not {status}")
    recorded = sum(rows.values())
    failures += wrong
    if recorded != runs:
        failures.append(f"{runs} runs but {recorded} rows: {runs - recorded} lost")
    if unfinished:
        failures.append(f"{unfinished} runs without an end")
    leftover_sockets = len(os.listdir(sockets))
    if leftover_sockets:
        failures.append(f"{leftover_sockets} socket directories left behind")

    first, last = samples[0], samples[-1]
    print(f"soak: {args.seconds:.0f} s, {args.parallel} at once, seed {args.seed}, {runs} runs "
          f"({', '.join(f'{n} {k}' for k, n in sorted(launched.items()))})")
    print(f"rows recorded: {recorded} ({', '.join(f'{n} {s}' for s, n in sorted(rows.items()))}); rows lost: {runs - recorded}")
    print(f"processes on the machine: {processes_before} before, {last[1]} after the last round "
          f"(first round {first[1]}); socket directories left: {leftover_sockets}")
    print(f"store size: {first[2] / 1024:.0f} KiB after the first round, {last[2] / 1024:.0f} KiB after the last "
          f"({(last[2] - first[2]) / max(1, runs) :.0f} bytes per run)")
    print(f"failures: {len(failures)}")
    for failure in failures[:50]:
        print("  " + failure)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
