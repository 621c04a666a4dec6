"""The benchmarks' one measure of memory: a process's own peak resident size."""

import resource
from pathlib import Path


def peak_mib():
    """This process's high-water resident memory, in MiB.

    ``VmHWM`` belongs to the process image, so a fresh process starts from
    nothing. ``ru_maxrss`` survives ``execve``: a measurement started by a
    parent that had grown larger (the data preparation) would report the
    parent's peak instead of its own. It is the fallback where there is no
    ``/proc``.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(kib / 1024, 1)
