#!/usr/bin/env python3
"""Baseline for `ablate-bench report --statistics`: the same statistics with numpy and scipy — per cell
(row x metric, over 3 seeds) a bootstrap interval of the mean from 10,000 resamples (numpy, vectorised),
and per row and metric Welch's t-test against row 0 (scipy.stats.ttest_ind), then Holm's correction.
Prints JSON with the seconds taken."""
import json
import sys
import time

import numpy as np
from scipy import stats


def main() -> None:
    runs = [json.loads(line) for line in open(sys.argv[1])]
    metrics = ["recall", "rag", "rerank", "icl", "qa", "summ", "hellaswag", "mmlu", "arc", "wg"]
    start = time.perf_counter()
    rows = {}
    for run in runs:
        rows.setdefault(run["variant"], []).append([run[m] for m in metrics])
    rng = np.random.default_rng(0)
    baseline = np.array(rows[0])
    p_values = []
    intervals = 0
    for variant, values in rows.items():
        values = np.array(values)
        for column in range(len(metrics)):
            sample = values[:, column]
            means = rng.choice(sample, (10_000, len(sample)), replace=True).mean(axis=1)
            np.quantile(means, [0.025, 0.975])
            intervals += 1
            if variant != 0:
                p_values.append(stats.ttest_ind(sample, baseline[:, column], equal_var=False).pvalue)
    p = np.nan_to_num(np.array(p_values), nan=1.0)
    order = np.argsort(p)
    adjusted = np.minimum(1, np.maximum.accumulate(p[order] * (len(p) - np.arange(len(p)))))
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "intervals": intervals, "tests": len(p_values), "max": float(adjusted.max())}))


if __name__ == "__main__":
    main()
