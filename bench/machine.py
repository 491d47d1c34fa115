"""What the benchmarks print about the machine they ran on (imported as ``bench.machine``)."""

from __future__ import annotations

import math
import os
import time


def machine_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy (any process) over the next ``seconds``, from /proc/stat; NaN if unknown."""
    def sample():
        with open("/proc/stat") as fh:
            fields = [int(v) for v in fh.readline().split()[1:9]]
        return sum(fields) - fields[3] - fields[4], sum(fields)
    try:
        busy0, total0 = sample()
        time.sleep(seconds)
        busy1, total1 = sample()
    except OSError:
        return math.nan
    return (busy1 - busy0) / max(total1 - total0, 1)


def threads() -> str:
    """Threads in this process (numpy's BLAS pool shows up here)."""
    try:
        return str(len(os.listdir("/proc/self/task")))
    except OSError:
        return "?"
