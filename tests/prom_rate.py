#!/usr/bin/env python3
"""prom_rate.py RANGE_SECONDS TIME < samples.json: the rate() Prometheus 2.x
computes at the time of the last sample's evaluation from the raw samples
of one counter (a /api/v1/query "matrix" answer for SERIES[RANGE] at that
time): resets handled as counter resets, then extrapolated to the range's
edges as promql/functions.go's extrapolatedRate does, on whole
milliseconds as Prometheus stores time. Prints it, and the
same without the last sample (a sample scraped just before the rule's
evaluation time may be stored just after it)."""
import json
import sys


def rate(samples, end_ms, rng):
    if len(samples) < 2:
        return None
    start_ms = end_ms - int(rng * 1000)
    first_ms, first_v = samples[0]
    last_ms, last_v = samples[-1]
    result = last_v - first_v
    prev = first_v
    for _, v in samples[1:]:
        if v < prev:
            result += prev
        prev = v
    sampled = (last_ms - first_ms) / 1000
    avg = sampled / (len(samples) - 1)
    to_start = (first_ms - start_ms) / 1000
    to_end = (end_ms - last_ms) / 1000
    if result > 0 and first_v >= 0:
        to_zero = sampled * (first_v / result)
        if to_zero < to_start:
            to_start = to_zero
    threshold = avg * 1.1
    interval = sampled
    interval += to_start if to_start < threshold else avg / 2
    interval += to_end if to_end < threshold else avg / 2
    return result * (interval / sampled) / rng


def main():
    rng = float(sys.argv[1])
    end_ms = round(float(sys.argv[2]) * 1000)
    answer = json.load(sys.stdin)
    series = answer["data"]["result"]
    if len(series) != 1:
        sys.exit(f"prom_rate.py: expected one series, got {len(series)}")
    samples = [(round(float(t) * 1000), float(v)) for t, v in series[0]["values"]]
    for r in (rate(samples, end_ms, rng), rate(samples[:-1], end_ms, rng)):
        print("none" if r is None else repr(r))


if __name__ == "__main__":
    main()
