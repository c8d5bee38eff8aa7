"""The two numbers every timing here is reported as: the median and the 95th percentile."""
import math
import statistics


def percentile(values, fraction):
    """Nearest-rank percentile: always one of the measured values, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary(values):
    """`{"median", "p95", "n"}` of a non-empty list of numbers."""
    return {"median": statistics.median(values), "p95": percentile(values, 0.95), "n": len(values)}
