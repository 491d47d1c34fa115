"""What the benchmarks share (imported as ``bench.machine``): the machine's CPU use, and the aligned report."""

from __future__ import annotations

import math
import os
import time


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat (idle and iowait are not busy)."""
    with open("/proc/stat") as fh:
        fields = [int(v) for v in fh.readline().split()[1:9]]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - fields[3] - fields[4]) / hz, sum(fields) / hz


def machine_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy (any process) over the next ``seconds``; NaN if unknown."""
    try:
        busy0, total0 = machine_cpu()
        time.sleep(seconds)
        busy1, total1 = machine_cpu()
    except OSError:
        return math.nan
    return (busy1 - busy0) / max(total1 - total0, 1e-9)


def busy_row(busy: float) -> tuple[str, str]:
    """The report row that says how busy the machine was before the benchmark started."""
    return ("machine busy before start", f"{busy:.0%} of all cores (other processes)"
            + ("  (busy machine: figures are pessimistic)" if busy > 0.1 else ""))


def print_report(title: str, rows: list[tuple[str, str]]) -> None:
    """The title, then one ``key  value`` line per row with the values aligned; a row with an empty key is an
    empty line."""
    width = max(len(key) for key, _ in rows)
    print(title)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}" if key else "")


def threads() -> str:
    """Threads in this process (numpy's BLAS pool shows up here)."""
    try:
        return str(len(os.listdir("/proc/self/task")))
    except OSError:
        return "?"
