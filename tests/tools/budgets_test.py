"""tools/bench/budgets.py judges each budget on the median of the repetitions."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "bench", "budgets.py")


def repetition(run_name, **counters):
    return {"name": run_name, "run_name": run_name, "run_type": "iteration", **counters}


def aggregate(run_name, **counters):
    return {"name": run_name + "_median", "run_name": run_name, "run_type": "aggregate",
            "aggregate_name": "median", **counters}


def judge(benchmarks):
    results = {"context": {"date": "2026-11-21T20:00:00+00:00", "num_cpus": 2,
                           "load_avg": [0.5, 0.5, 0.5]},
               "benchmarks": benchmarks}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(results, file)
    try:
        done = subprocess.run([sys.executable, SCRIPT, file.name], capture_output=True,
                              text=True, check=True)
    finally:
        os.unlink(file.name)
    return {line.split()[0] + " " + line.split()[1]: line
            for line in done.stdout.splitlines() if line.startswith("BM_")}, done.stdout


def every_budget(mwaa_rates, bytes_per_run=450.0):
    runs = [repetition("BM_SchedulerThroughput/100000", items_per_second=11e6)] * 3
    runs += [repetition("BM_RecordedScenarioReplay/1000", items_per_second=250e3)] * 3
    runs += [repetition("BM_MwaaRunLifecycle", items_per_second=rate,
                        bytes_per_completed_run=bytes_per_run) for rate in mwaa_rates]
    return runs


class BudgetsTest(unittest.TestCase):
    def test_the_median_decides_not_the_best_or_the_worst_repetition(self):
        lines, out = judge(every_budget([300e3, 510e3, 520e3, 700e3, 490e3]))
        rate = lines["BM_MwaaRunLifecycle items_per_second"]
        self.assertIn("510 k/s", rate)
        self.assertIn("300 k/s - 700 k/s", rate)
        self.assertIn(" met (5 repetitions)", rate)
        self.assertIn("every measured budget met; 1 not measured", out)

    def test_a_median_below_a_minimum_is_missed_even_when_one_repetition_meets_it(self):
        lines, out = judge(every_budget([300e3, 450e3, 900e3]))
        self.assertIn("MISSED", lines["BM_MwaaRunLifecycle items_per_second"])
        self.assertIn("not every measured budget met", out)

    def test_a_maximum_is_missed_when_the_median_exceeds_it(self):
        lines, out = judge(every_budget([600e3] * 3, bytes_per_run=1100.0))
        self.assertIn("MISSED", lines["BM_MwaaRunLifecycle bytes_per_completed_run"])
        self.assertIn(" met", lines["BM_MwaaRunLifecycle items_per_second"])
        self.assertIn("not every measured budget met", out)

    def test_aggregates_are_not_counted_as_repetitions(self):
        runs = every_budget([600e3] * 3) + [
            aggregate("BM_MwaaRunLifecycle", items_per_second=1.0, bytes_per_completed_run=1.0)]
        lines, _ = judge(runs)
        self.assertIn("600 k/s - 600 k/s", lines["BM_MwaaRunLifecycle items_per_second"])
        self.assertIn("(3 repetitions)", lines["BM_MwaaRunLifecycle items_per_second"])

    def test_a_budget_whose_benchmark_did_not_run_is_not_met(self):
        runs = [run for run in every_budget([600e3] * 3)
                if run["run_name"] != "BM_SchedulerThroughput/100000"]
        lines, out = judge(runs)
        self.assertIn("not run", lines["BM_SchedulerThroughput/100000 items_per_second"])
        self.assertIn("not measured:", out)
        self.assertIn("wire server", out)
        self.assertIn("not every measured budget met", out)


if __name__ == "__main__":
    unittest.main()
