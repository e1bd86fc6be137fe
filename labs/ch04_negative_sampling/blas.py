"""One BLAS thread for the whole run, so the timings compare the two algorithms and not how
many cores the matrix products of one of them happened to get (on a busy machine, a
multi-threaded product can be many times slower than a single-threaded one).

Best effort: OpenBLAS (what NumPy's wheels ship) is told through its own function in the
library already loaded; elsewhere nothing changes.
"""

import ctypes
from pathlib import Path

NAMES = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
         "openblas_set_num_threads64_", "openblas_set_num_threads")


def one_blas_thread():
    """True when a loaded OpenBLAS now runs single-threaded."""
    for path in _loaded_openblas():
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in NAMES:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(1)
                return True
    return False


def _loaded_openblas():
    maps = Path("/proc/self/maps")
    if not maps.is_file():
        return []
    paths = {line.split()[-1] for line in maps.read_text().splitlines() if "openblas" in line.lower()}
    return sorted(p for p in paths if p.startswith("/"))
