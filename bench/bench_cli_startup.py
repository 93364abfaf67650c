"""Benchmark the admin CLI's start-up: `python -m bot --help` and `parse` against the bare interpreter.

    .venv/bin/python bench/bench_cli_startup.py [--rounds 15] [--text "ยอดขาย ม.ค. 67 2.5 ล้าน"]

Each round starts one fresh process of every case, in an order that rotates from round to round, so a busy
moment on a shared machine falls on all cases alike. Wall time is measured around the whole process (start to
exit) without -X importtime; the module count comes from one extra `-X importtime` run of each case. Target:
`--help` and `parse` within 0.5 s of the bare interpreter (median). `import flask, linebot.v3.messaging` is there
for contrast: what every command paid when the CLI imported the web app's stack. Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_DELTA_MS = 500.0
TEXT = "ยอดขาย ม.ค. 67 2.5 ล้าน"


def cases(text: str) -> dict[str, list[str]]:
    """Label → interpreter arguments; the first is the baseline, the ones named in TARGETED carry the target."""
    return {
        "bare": ["-c", "pass"],
        "--help": ["-m", "bot", "--help"],
        "parse": ["-m", "bot", "parse", text],
        "flask+linebot": ["-c", "import flask, linebot.v3.messaging"],
    }


TARGETED = ("--help", "parse")


def environment(folder: str) -> dict[str, str]:
    """The caller's environment, offline for PyThaiNLP, with no LINE secrets and a database that is never made."""
    env = {**os.environ, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1",
           "DATABASE_URL": f"sqlite:///{Path(folder) / 'never.db'}"}
    for name in ("BOT_ENV", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "PYTHONPROFILEIMPORTTIME"):
        env.pop(name, None)
    return env


def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """One fresh process: wall milliseconds and its standard error (it must exit 0)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False, timeout=120)
    wall = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.decode('utf-8', 'replace')}")
    return wall, done.stderr.decode("utf-8", "replace")


def module_count(args: list[str], env: dict[str, str]) -> int:
    """How many modules the process imports (one `import time:` line each, less the header)."""
    _, err = run(["-X", "importtime", *args], env)
    return sum(1 for line in err.splitlines() if line.startswith("import time:") and "|" in line) - 1


def p90(values: list[float]) -> float:
    """The 90th percentile (inclusive)."""
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def main() -> int:
    """Run the rounds and print one row per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--text", default=TEXT, help="the message for the parse case")
    options = parser.parse_args()
    if options.rounds < 2:
        parser.error("--rounds must be 2 or more")
    with tempfile.TemporaryDirectory() as folder:
        env = environment(folder)
        table = cases(options.text)
        labels = list(table)
        counts = {label: module_count(args, env) for label, args in table.items()}  # also writes the .pyc files
        walls: dict[str, list[float]] = {label: [] for label in labels}
        load_before = os.getloadavg()[0]
        for n in range(options.rounds):
            for label in labels[n % len(labels):] + labels[:n % len(labels)]:
                walls[label].append(run(table[label], env)[0])
        load_after = os.getloadavg()[0]
        if (Path(folder) / "never.db").exists():
            raise SystemExit("a light command created the database")
    print(f"Python {sys.version.split()[0]} ({sys.executable}), {os.cpu_count()} CPUs, {options.rounds} rounds; "
          f"load average {load_before:.2f} before, {load_after:.2f} after")
    base = statistics.median(walls["bare"])
    print(f"{'case':<14} {'median ms':>10} {'p90 ms':>8} {'Δ median ms':>12} {'× bare':>7} {'modules':>8}")
    missed = []
    for label in labels:
        median = statistics.median(walls[label])
        print(f"{label:<14} {median:>10.1f} {p90(walls[label]):>8.1f} {median - base:>12.1f} "
              f"{median / base:>7.2f} {counts[label]:>8}")
        if label in TARGETED and median - base > TARGET_DELTA_MS:
            missed.append(label)
    print(f"target: {', '.join(TARGETED)} within {TARGET_DELTA_MS:.0f} ms of bare: "
          + (f"MISSED by {', '.join(missed)}" if missed else "met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
