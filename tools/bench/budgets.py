#!/usr/bin/env python3
"""Compares a wfsim_bench run's medians with the budgets of DESIGN.md.

Reads Google Benchmark's JSON output (--benchmark_out_format=json) run with
--benchmark_repetitions, and prints one line per budget: the median of the
repetitions, the spread, the target and whether the median meets it.

This virtual machine's speed wanders by up to 40% from one second to the next, so
a budget is judged on the median of repetitions, never on one pass; the spread is
printed beside it so that a reader sees how much to trust it. The exit status is 0
whatever the figures: this is a measurement, not a test (DESIGN.md, Budgets).

usage: budgets.py RESULTS.json
"""
import json
import statistics
import sys

# (benchmark run name, counter, "min" or "max", target, unit, divisor for display)
BUDGETS = [
    ("BM_SchedulerThroughput/100000", "items_per_second", "min", 10e6, "M/s", 1e6),
    ("BM_MwaaRunLifecycle", "items_per_second", "min", 500e3, "k/s", 1e3),
    ("BM_MwaaRunLifecycle", "bytes_per_completed_run", "max", 1024, "B", 1),
    ("BM_RecordedScenarioReplay/1000", "items_per_second", "min", 200e3, "k/s", 1e3),
]

# DESIGN.md budgets that no benchmark measures yet, named so that a report never reads as
# complete without them.
UNMEASURED = [
    "wire server: >= 50 000 GetWorkflowRun requests/s on loopback (no wire server yet)",
]


def repetitions(results, run_name, counter):
    return [
        run[counter]
        for run in results["benchmarks"]
        if run.get("run_name") == run_name and run.get("run_type") == "iteration" and counter in run
    ]


def shown(value, unit, divisor):
    return f"{value / divisor:.3g} {unit}" if divisor != 1 else f"{value:.0f} {unit}"


def main(path):
    with open(path) as file:
        results = json.load(file)
    met_all = True
    context = results.get("context", {})
    load = ", ".join(f"{value:.2f}" for value in context.get("load_avg", []))
    print(f"run at {context.get('date', '?')} on {context.get('num_cpus', '?')} CPUs, "
          f"load average {load or '?'}")
    print(f"{'budget':<52} {'median':>11} {'range':>21} {'target':>12}")
    for run_name, counter, sense, target, unit, divisor in BUDGETS:
        values = repetitions(results, run_name, counter)
        name = f"{run_name} {counter}"
        if not values:
            print(f"{name:<52} {'not run':>11}")
            met_all = False
            continue
        median = statistics.median(values)
        met = median >= target if sense == "min" else median <= target
        met_all = met_all and met
        spread = f"{shown(min(values), unit, divisor)} - {shown(max(values), unit, divisor)}"
        bound = ("≥ " if sense == "min" else "≤ ") + shown(target, unit, divisor)
        print(f"{name:<52} {shown(median, unit, divisor):>11} {spread:>21} {bound:>12}"
              f"  {'met' if met else 'MISSED'} ({len(values)} repetitions)")
    for budget in UNMEASURED:
        print(f"{'not measured:':<52} {budget}")
    verdict = "every measured budget met" if met_all else "not every measured budget met"
    print(f"{verdict}; {len(UNMEASURED)} not measured" if UNMEASURED else verdict)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1])
