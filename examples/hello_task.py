"""An example task: writes a greeting to a file and reports its result to the runner."""
import argparse
import os
import sys

import lute_task

parser = argparse.ArgumentParser()
parser.add_argument("--run", required=True)
parser.add_argument("--out", required=True)
args = parser.parse_args()

with lute_task.connect() as lute:
    lute.started()
    greeting = os.environ.get("GREETING", "Hello")
    print(f"{greeting}; writing {args.out}")
    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(3):
            out.write(f"{greeting}: line {i}\n")
            lute.log(f"wrote line {i}")
    print("a line on standard error", file=sys.stderr)
    lute.result(payload={"file": args.out, "lines": 3}, summary={"run": args.run, "lines": "3"})
    lute.done()
