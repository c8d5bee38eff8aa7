"""How every timing here is reported: the median, its spread (quartiles) and the 95th percentile."""
import math
import statistics


def percentile(values, fraction):
    """Nearest-rank percentile: always one of the measured values, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary(values):
    """`{"median", "q1", "q3", "p95", "n"}` of a non-empty list of numbers."""
    return {"median": statistics.median(values), "q1": percentile(values, 0.25), "q3": percentile(values, 0.75),
            "p95": percentile(values, 0.95), "n": len(values)}
