"""Helpers of bench/run.sh: facts about the machine, analysis of traces, logs and counts, and the markdown report.

    bench.py machine                                  facts about this machine (JSON)
    bench.py timeline TRACE...                        milestones of `strace -f -ttt` traces of a no-op `lute run` (JSON)
    bench.py jit FILE                                 methods compiled, from DOTNET_JitDisasmSummary output (JSON)
    bench.py relay LOG TASK LINES BEGIN_NS END_NS CONSOLE   lines relayed into a run's log file (JSON)
    bench.py plugins LUTE CONFIG                      the plugins `lute plugins` reports (JSON)
    bench.py concurrent STORE N BEGIN_NS END_NS FAILED LOCKED   rows written by N concurrent runs (JSON)
    bench.py report RESULTS SECONDS COMMAND QUICK     the markdown report of a results folder
"""

import datetime
import glob
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys


def run(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False).stdout.strip()
    except OSError:
        return ""


# --- machine -------------------------------------------------------------------------------------------------------

def machine():
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    pretty = platform.system()
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    pretty = line.split("=", 1)[1].strip().strip('"')
    runtimes = [l.split()[1] for l in run("dotnet", "--list-runtimes").splitlines() if l.startswith("Microsoft.NETCore.App ")]
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory / 2**30, 1),
        "os": pretty,
        "kernel": platform.release(),
        "dotnet_sdk": run("dotnet", "--version"),
        "dotnet_runtime": runtimes[-1] if runtimes else "",
        "python": platform.python_version(),
        "hyperfine": run("hyperfine", "--version"),
        "load_at_start": os.getloadavg(),
    }


# --- timeline of a no-op run ---------------------------------------------------------------------------------------

LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(.*)$")

# (name, what happens up to it): in the order they occur in a no-op run.
MILESTONES = [
    ("exec", "exec of lute"),
    ("corelib", "runtime host: hostfxr, runtime, System.Private.CoreLib opened"),
    ("main", "runtime start; lute.dll opened"),
    ("config", "command line parsed; plugins.yaml opened"),
    ("task_file", "plugins.yaml parsed; task file opened"),
    ("plugin_first", "task file parsed, console logging; first plugin opened"),
    ("plugin_last", "plugin loading (load contexts, scanning, DI containers); last plugin assembly opened"),
    ("sqlite", "preparing the run (executor, environment, templates); SQLite library opened"),
    ("store", "SQLite loaded; store file opened"),
    ("inserted", "store checked, WAL, schema version, run inserted (commit)"),
    ("run_log", "run log file opened"),
    ("socket", "event bus, hooks, Unix socket bound"),
    ("launch", "process start (fork/exec of setsid)"),
    ("task_exec", "setsid starts the task (exec of /bin/true)"),
    ("task_exit", "the task runs and exits"),
    ("reaped", "exit noticed (SIGCHLD, wait4)"),
    ("leftovers", "the exit handed to the runner; first SIGKILL to the task's group (leftover processes)"),
    ("scanned", "leftover search through /proc, drain, the search again on dispose; last /proc/PID/stat read"),
    ("store_closed", "outcome to hooks, final store update (commit), store closed (WAL checkpoint, -wal removed)"),
    ("exit_group", "summary printed, logging flushed; exit_group"),
    ("end", "runtime shut down; process gone"),
]


def milestones(path):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if m:
                rows.append((int(m.group(1)), float(m.group(2)), m.group(3)))
    if not rows:
        return {}
    main = rows[0][0]
    found = {"exec": rows[0][1]}
    task_pid = None
    dlls = set()
    proc_self = f"/proc/{main}/"

    def first(name, t):
        found.setdefault(name, t)

    for pid, t, call in rows:
        ok = not re.search(r"= -1 E", call)
        if call.startswith("openat(") and ok:
            path_ = call.split('"')[1] if '"' in call else ""
            if path_.endswith(".dll") and pid == main:
                dlls.add(path_)
            if path_.endswith("System.Private.CoreLib.dll"):
                first("corelib", t)
            elif path_.endswith("/lute.dll"):
                first("main", t)
            elif path_.endswith("plugins.yaml") and "/plugins/" not in path_:
                first("config", t)
            elif path_.endswith(".yaml") and "config" in found and "/plugins/" not in path_ and "plugin_first" not in found:
                first("task_file", t)
            elif re.search(r"/plugins/[^/]+/[^/]+\.dll$", path_):
                first("plugin_first", t)
                found["plugin_last"] = t
            elif path_.endswith("libe_sqlite3.so"):
                first("sqlite", t)
            elif re.search(r"\.db$", path_) and "sqlite" in found:
                first("store", t)
            elif "/logs/" in path_ and path_.endswith(".log"):
                first("run_log", t)
            elif re.match(r"/proc/\d+/stat$", path_) and "leftovers" in found and not path_.startswith(proc_self):
                found["scanned"] = t
        elif call.startswith("fsync(") and "store" in found and "run_log" not in found:
            first("inserted", t)
        elif call.startswith("bind(") and "task.sock" in call:
            first("socket", t)
        elif call.startswith("execve(") and pid != main and ok:
            if "launch" not in found:
                found["launch"] = t
            else:
                found["task_exec"] = t
                task_pid = pid
        elif call.startswith("exit_group(") and pid == task_pid:
            first("task_exit", t)
        elif call.startswith("+++ exited") and pid == task_pid:
            first("task_exit", t)
        elif call.startswith("wait4(") and task_pid is not None and f"= {task_pid}" in call:
            first("reaped", t)
        elif call.startswith("kill(-") and "SIGKILL" in call:
            first("leftovers", t)
        elif call.startswith("unlink(") and call.split('"')[1].endswith(".db-wal"):
            found["store_closed"] = t
        elif call.startswith("exit_group(") and pid == main:
            found["exit_group"] = t
        elif call.startswith("+++ exited") and pid == main:
            found["end"] = t
    start = found["exec"]
    result = {name: round((t - start) * 1000, 2) for name, t in found.items()}
    result["assemblies"] = len(dlls)
    return result


def timeline(paths):
    runs = [milestones(p) for p in paths]
    names = [name for name, _ in MILESTONES]
    phases = []
    previous = "exec"
    for name, what in MILESTONES[1:]:
        values = [r[name] - r[previous] for r in runs if name in r and previous in r]
        if not values:
            continue
        phases.append({"from": previous, "to": name, "what": what, "median_ms": round(statistics.median(values), 1),
                       "min_ms": round(min(values), 1), "max_ms": round(max(values), 1)})
        previous = name
    totals = [r["end"] for r in runs if "end" in r]
    return {
        "runs": len(runs),
        "phases": phases,
        "total_median_ms": round(statistics.median(totals), 1) if totals else None,
        "assemblies": statistics.median([r["assemblies"] for r in runs]) if runs else None,
        "raw": runs,
        "milestones": names,
    }


# --- JIT summary ---------------------------------------------------------------------------------------------------

def jit(path):
    families = {}
    tiers = {}
    total = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"\s*\d+: JIT compiled (\S+).*\[([^,\]]+)", line)
            if not m:
                continue
            total += 1
            name = re.split(r"[:\[`<]", m.group(1))[0]
            family = ".".join(name.split(".")[:2])
            families[family] = families.get(family, 0) + 1
            tiers[m.group(2)] = tiers.get(m.group(2), 0) + 1
    top = sorted(families.items(), key=lambda kv: -kv[1])[:12]
    return {"methods": total, "tiers": tiers, "top": top}


# --- stdout relay --------------------------------------------------------------------------------------------------

def relay(log, task, lines, begin_ns, end_ns, console):
    tag = f" [{task} stdout] "
    count = 0
    expected = 0
    in_order = True
    first = last = None
    first_line = last_line = None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            at = line.find(tag)
            if at < 0:
                continue
            if first_line is None:
                first_line = line
            last_line = line
            text = line[at + len(tag):]
            number = int(text.split(None, 2)[1]) if text.startswith("line ") else -1
            if number != expected:
                in_order = False
            expected = number + 1
            count += 1
    if first_line is not None:
        first = datetime.datetime.strptime(first_line[:23], "%Y-%m-%d %H:%M:%S.%f").timestamp()
        last = datetime.datetime.strptime(last_line[:23], "%Y-%m-%d %H:%M:%S.%f").timestamp()
    console_lines = 0
    if os.path.exists(console):
        with open(console, encoding="utf-8", errors="replace") as f:
            console_lines = sum(1 for l in f if tag in l)
    return {
        "lines": int(lines),
        "logged": count,
        "in_order": in_order,
        "console_lines": console_lines,
        "first_to_last_s": (last - first) if first is not None else None,
        "run_s": (int(end_ns) - int(begin_ns)) / 1e9,
    }


# --- plugins, concurrent runs --------------------------------------------------------------------------------------

def plugins(lute, config):
    text = run(lute, "plugins", "-c", config)
    return {"output": text}


def concurrent(store, n, begin_ns, end_ns, failed, locked):
    connection = sqlite3.connect(store)
    try:
        rows = connection.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall()
    finally:
        connection.close()
    return {
        "runs": int(n),
        "seconds": (int(end_ns) - int(begin_ns)) / 1e9,
        "failed_processes": int(failed),
        "locked_messages": int(locked),
        "rows": {status: count for status, count in rows},
    }


# --- report --------------------------------------------------------------------------------------------------------

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def rate(d):
    seconds = (d["last_us"] - d["first_us"]) / 1e6
    return (d["count"] - 1) / seconds if seconds > 0 else float("nan")


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def cpu_seconds(path):
    """user + system seconds from a `/usr/bin/time -f '%e %U %S'` file."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                try:
                    return float(parts[1]) + float(parts[2])
                except ValueError:
                    continue
    return None


def sub_rss(folder):
    """Peak RSS of `lute --version` and `lute plugins`, the commands that stop before a run."""
    path = os.path.join(folder, "rss-sub.txt")
    if not os.path.exists(path):
        return ""
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                values.setdefault(parts[0], []).append(int(parts[1]) / 1024)
    return "; ".join(f"`lute {'--version' if k == 'version' else k}`: {fmt(statistics.median(v), 1)} MB" for k, v in values.items())


def host_timing(path):
    """Medians of `[timing] T ms (+D) step` lines, runs separated by `--` lines."""
    if not os.path.exists(path):
        return None
    runs, current = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("--"):
                if current:
                    runs.append(current)
                current = []
                continue
            m = re.match(r"\[timing\]\s+([\d.]+) ms \(\+\s*([\d.]+)\) (.*)$", line.strip())
            if m:
                current.append((m.group(3), float(m.group(1)), float(m.group(2))))
    if current:
        runs.append(current)
    if not runs:
        return None
    order = [step for step, _, _ in runs[0]]
    steps = []
    for step in order:
        ats = [at for r in runs for s_, at, _ in r if s_ == step]
        tooks = [took for r in runs for s_, _, took in r if s_ == step]
        steps.append((step, statistics.median(ats), statistics.median(tooks)))
    return {"runs": len(runs), "steps": steps}


def fmt(value, digits=0):
    if value is None or value != value:
        return "n/a"
    return f"{value:,.{digits}f}"


def verdict(ok, how):
    return f"**met** ({how})" if ok else f"**missed** ({how})"


def report(folder, seconds, command, quick):
    m = load(os.path.join(folder, "machine.json"))
    out = []
    w = out.append
    w(f"# Lute.Plugins benchmark results, {m['date']}")
    w("")
    if quick == "1":
        w("**BENCH_QUICK=1: reduced counts, a check of the harness; do not quote these figures.**")
        w("")
    w(f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB memory, {m['os']}, Linux {m['kernel']}; "
      f"load average at start {', '.join(f'{x:.2f}' for x in m['load_at_start'])} (a shared VM: figures are noisy, ratios count)")
    w(f"- .NET SDK {m['dotnet_sdk']}, runtime {m['dotnet_runtime']}; Python {m['python']}; {m['hyperfine']}")
    w(f"- Command: `{command}` (took {seconds} s)")
    w("")

    rows = []
    # 1. no-op
    noop = load(os.path.join(folder, "noop.json"))["results"]
    by = {r["command"]: r for r in noop}
    run_ = by["lute run (no-op)"]
    floor = by["/bin/true"]
    med = run_["median"] * 1000
    rows.append(("No-op task end to end (`lute run`, local executor, SQLite store), wall",
                 f"median {fmt(med, 1)} ms (min {fmt(run_['min'] * 1000, 1)}, max {fmt(run_['max'] * 1000, 1)}; {len(run_['times'])} runs)",
                 f"`/bin/true`: median {fmt(floor['median'] * 1000, 2)} ms",
                 "≤ 100 ms",
                 verdict(med <= 100, f"{fmt(med / 100, 2)}× the target; LUTE ~670 ms")))

    # 2. messages
    def runs_of(prefix):
        return [load(p) for p in sorted(glob.glob(os.path.join(folder, f"messages-{prefix}-*.json")))]

    def median_rate(prefix):
        values = [rate(d) for d in runs_of(prefix)]
        return statistics.median(values) if values else float("nan"), values

    floors = {"csharp": median_rate("raw-csharp")[0], "python": median_rate("raw-python")[0]}
    alone = {name: median_rate(f"client-{name}")[0] for name in ("csharp", "python", "emit")}
    targets = {"csharp": 200_000, "python": 50_000, "emit": None}
    names = {"csharp": "C# client (Lute.Client)", "python": "Python client (lute_task.py)", "emit": "`lute emit -`"}
    message_rows = []
    for sender in ("csharp", "python", "emit"):
        value, values = median_rate(sender)
        counts = [d["count"] for d in runs_of(sender)]
        floor_key = "python" if sender == "python" else "csharp"
        share = value / floors[floor_key]
        target = targets[sender]
        ok_share = share >= 0.5
        if target is None:
            how = f"{share:.0%} of the floor"
            v = verdict(ok_share, how + "; target ≥ 50% of the floor")
        else:
            ok = value >= target and ok_share
            v = verdict(ok, f"{value / target:.0%} of {fmt(target)}/s; {share:.0%} of the floor (target ≥ 50%)")
        message_rows.append((sender, value, values, counts))
        rows.append((f"Messages/s, {names[sender]} → runner → 1 hook (TASK_LOG, console off)",
                     f"{fmt(value)}/s (median of {len(values)}: {', '.join(fmt(x) for x in values)}; received {', '.join(str(c) for c in counts)})",
                     f"raw socket, {'Python' if floor_key == 'python' else 'C#'} writer: {fmt(floors[floor_key])}/s; "
                     f"this client alone into the raw reader (no runner): {fmt(alone[sender])}/s",
                     f"≥ {fmt(target)}/s and ≥ 50% of the floor" if target else "≥ 50% of the floor",
                     v))

    # The runner's CPU time per message: lute's CPU time (it includes its task's) minus the task's and a no-op run's.
    noop_cpu = []
    with open(os.path.join(folder, "noop-cpu.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                noop_cpu.append(float(parts[1]) + float(parts[2]))
    base = statistics.median(noop_cpu) if noop_cpu else 0.0
    cpu_cells = []
    for sender in ("csharp", "python", "emit"):
        per = []
        for lute_file in sorted(glob.glob(os.path.join(folder, f"cpu-lute-{sender}-*.txt"))):
            task_file = lute_file.replace("cpu-lute-", "cpu-task-")
            lute_cpu = cpu_seconds(lute_file)
            task_cpu = cpu_seconds(task_file)
            count = load(lute_file.replace("cpu-lute-", "messages-").replace(".txt", ".json"))["count"]
            if lute_cpu is not None and task_cpu is not None and count:
                per.append({"runner": (lute_cpu - task_cpu - base) / count * 1e6, "task": task_cpu / count * 1e6})
        if per:
            cpu_cells.append(f"{names[sender]}: runner {fmt(statistics.median(p['runner'] for p in per), 1)} µs, "
                             f"task {fmt(statistics.median(p['task'] for p in per), 1)} µs")
    if cpu_cells:
        rows.append(("CPU time per message (information): runner = lute's CPU minus its task's and a no-op run's",
                     "; ".join(cpu_cells), "", "", "2 cores: runner and task compete for them"))

    # 3. stdout relay
    def relay_rows(console):
        return [load(p) for p in sorted(glob.glob(os.path.join(folder, f"stdout-{console}-*.json")))]

    cats = [load(p) for p in sorted(glob.glob(os.path.join(folder, "stdout-cat-*.json")))]
    cat_rate = statistics.median([c["lines"] / c["seconds"] for c in cats])
    for console in ("false", "true"):
        rs = relay_rows(console)
        if not rs:
            continue
        rates = [r["lines"] / r["first_to_last_s"] for r in rs if r["first_to_last_s"]]
        whole = [r["lines"] / r["run_s"] for r in rs]
        lost = [r["lines"] - r["logged"] for r in rs]
        in_order = all(r["in_order"] for r in rs)
        value = statistics.median(rates)
        label = "console off" if console == "false" else "console on (to a file)"
        check = f"lost {', '.join(str(x) for x in lost)}; {'in order' if in_order else 'OUT OF ORDER'}"
        if console == "true":
            check += f"; console lines {', '.join(str(r['console_lines']) for r in rs)}"
        ok = value >= 500_000 and all(x == 0 for x in lost) and in_order
        rows.append((f"Stdout lines/s into the run's log file, {label}",
                     f"{fmt(value)}/s first to last line (median of {len(rates)}); {fmt(statistics.median(whole))}/s over the whole `lute run`; {check}",
                     f"`cat` to a file: {fmt(cat_rate)}/s",
                     "≥ 500,000/s, none lost" if console == "false" else "(reported)",
                     verdict(ok, f"{value / 500_000:.0%} of 500,000/s; LUTE ~69,000/s") if console == "false" else f"{value / 500_000:.0%} of 500,000/s"))

    # 4. latency
    lat = load(os.path.join(folder, "latency.json"))
    values = lat["latencies_us"]
    p50, p99, worst = percentile(values, 50), percentile(values, 99), max(values) if values else float("nan")
    rows.append(("Latency task → hook (C# client, one message per ms), µs",
                 f"p50 {fmt(p50)}, p99 {fmt(p99)}, max {fmt(worst)} over {len(values)} messages",
                 "",
                 "p99 ≤ 1,000 µs",
                 verdict(p99 <= 1000, f"p99 {p99 / 1000:.2f} ms")))
    flood = runs_of("csharp")
    if flood and flood[0]["latencies_us"]:
        fl = flood[0]["latencies_us"]
        rows.append(("Latency under a flood (C# client, back to back), µs (information)",
                     f"p50 {fmt(percentile(fl, 50))}, p99 {fmt(percentile(fl, 99))}, max {fmt(max(fl))} over {len(fl)} messages",
                     "", "", "queueing behind earlier messages, not a target"))

    # 5. RSS
    def rss_of(name):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [int(x) / 1024 for x in f.read().split()]

    rss = rss_of("rss.txt")
    packs = rss_of("rss-packs.txt")
    plugin_text = load(os.path.join(folder, "rss-plugins.json"))["output"]
    installed = [l.split()[0] for l in plugin_text.splitlines() if re.match(r"^Lute\.\S+ .*: ", l)]
    value = f"as shipped: median {fmt(statistics.median(rss), 1)} MB, max {fmt(max(rss), 1)} MB ({len(rss)} runs)"
    worst = statistics.median(rss)
    if packs:
        value += f"; with every hook pack bound: median {fmt(statistics.median(packs), 1)} MB, max {fmt(max(packs), 1)} MB"
        worst = max(worst, statistics.median(packs))
    rows.append((f"Peak RSS of `lute run` (no-op), plugin folder with every shipped plugin ({', '.join(installed)})",
                 value, sub_rss(folder), "≤ 60 MB", verdict(worst <= 60, f"{worst / 60:.0%} of 60 MB")))

    # 6. concurrent
    c = load(os.path.join(folder, "concurrent.json"))
    completed = c["rows"].get("Completed", c["rows"].get("COMPLETED", 0))
    total_rows = sum(c["rows"].values())
    ok = completed == c["runs"] and total_rows == c["runs"] and c["failed_processes"] == 0 and c["locked_messages"] == 0
    rows.append((f"{c['runs']} concurrent `lute run` (no-op) on one new SQLite store",
                 f"{fmt(c['runs'] / c['seconds'], 1)} tasks/s ({fmt(c['seconds'], 2)} s for all); rows {json.dumps(c['rows'])}; "
                 f"failed processes {c['failed_processes']}; \"database is locked\" {c['locked_messages']}",
                 "", "no lost or failed write, no \"database is locked\"",
                 verdict(ok, f"{completed}/{c['runs']} COMPLETED")))

    w("| measure | Lute.Plugins | floor (same run) | target | verdict |")
    w("| --- | --- | --- | --- | --- |")
    for row in rows:
        w("| " + " | ".join(row) + " |")
    w("")

    # breakdown
    t = load(os.path.join(folder, "timeline.json"))
    w(f"## Where the time of a no-op run goes (strace, median of {t['runs']} runs)")
    w("")
    w(f"`strace -f --seccomp-bpf -ttt -e trace=execve,openat,exit_group,kill,fsync,unlink,wait4,bind`: milestones are the "
      f"system calls that mark each step (files opened, the task's exec and exit, the store's commits). Tracing adds "
      f"overhead: traced total {fmt(t['total_median_ms'], 1)} ms against the untraced median {fmt(med, 1)} ms. "
      f"Assemblies opened by lute: {fmt(t['assemblies'])}.")
    w("")
    w("| step (up to the milestone) | milestone | median ms | min | max |")
    w("| --- | --- | ---: | ---: | ---: |")
    for p in t["phases"]:
        w(f"| {p['what']} | `{p['to']}` | {p['median_ms']} | {p['min_ms']} | {p['max_ms']} |")
    w("")
    timing = host_timing(os.path.join(folder, "trace-timing.txt"))
    if timing:
        w(f"The host's own step timings (`LUTE_TRACE_TIMING=1`, median of {timing['runs']} runs, untraced):")
        w("")
        w("| step (ends when) | since start, ms | step, ms |")
        w("| --- | ---: | ---: |")
        for step, at, took in timing["steps"]:
            w(f"| {step} | {at:.1f} | {took:.1f} |")
        w("")
    cpu_rows = []
    with open(os.path.join(folder, "noop-cpu.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                cpu_rows.append([float(x) for x in parts])
    if cpu_rows:
        w(f"CPU time of a no-op `lute run` (/usr/bin/time, median of {len(cpu_rows)}): wall {statistics.median(r[0] for r in cpu_rows):.2f} s, "
          f"user {statistics.median(r[1] for r in cpu_rows):.2f} s, system {statistics.median(r[2] for r in cpu_rows):.2f} s.")
        w("")
    jit_path = os.path.join(folder, "jit.json")
    if os.path.exists(jit_path):
        j = load(jit_path)
        w(f"Methods JIT-compiled in one no-op run (`DOTNET_JitDisasmSummary=1`): {fmt(j['methods'])} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(j['tiers'].items(), key=lambda kv: -kv[1]))}); by namespace: "
          + ", ".join(f"{k} {v}" for k, v in j["top"]) + ".")
        w("")
    w("Sub-commands that stop earlier (hyperfine, same run): "
      + "; ".join(f"`{r['command']}` {fmt(r['median'] * 1000, 1)} ms" for r in noop) + ".")
    w("")

    micro = os.path.join(folder, "micro.md")
    if os.path.exists(micro):
        w("## Micro-benchmarks (BenchmarkDotNet 0.15.8, in process, ShortRun: 3 warm-up and 3 measured iterations)")
        w("")
        with open(micro, encoding="utf-8") as f:
            table = False
            for line in f:
                if line.startswith("### "):
                    if out[-1]:
                        w("")
                    table = False
                    w(line.rstrip("\n"))
                    w("")
                elif line.startswith("|"):
                    table = True
                    w(line.rstrip("\n").replace("**", ""))
                elif table:
                    table = False
                    w("")
        w("")
    return "\n".join(out) + "\n"


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "machine":
        print(json.dumps(machine()))
    elif command == "timeline":
        print(json.dumps(timeline(argv[2:])))
    elif command == "jit" and len(argv) == 3:
        print(json.dumps(jit(argv[2])))
    elif command == "relay" and len(argv) == 8:
        print(json.dumps(relay(*argv[2:])))
    elif command == "plugins" and len(argv) == 4:
        print(json.dumps(plugins(argv[2], argv[3])))
    elif command == "concurrent" and len(argv) == 8:
        print(json.dumps(concurrent(*argv[2:])))
    elif command == "report" and len(argv) == 6:
        sys.stdout.write(report(*argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
