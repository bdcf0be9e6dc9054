#!/usr/bin/env python3
"""Baseline for `ablate-bench report`: the same table (rows by variant, mean ± stdev over seeds, two
average columns, best per column) computed and formatted with plain Python. Prints JSON with seconds."""
import json
import statistics
import sys
import time


def main() -> None:
    runs = [json.loads(line) for line in open(sys.argv[1])]
    metrics = ["recall", "rag", "rerank", "icl", "qa", "summ", "hellaswag", "mmlu", "arc", "wg"]
    start = time.perf_counter()
    rows = {}
    for run in runs:
        rows.setdefault(run["variant"], {}).setdefault(run["seed"], run)
    table = []
    for variant, seeds in rows.items():
        cells = []
        per_seed = {m: [seeds[s][m] for s in seeds] for m in metrics}
        long_avg = [statistics.mean(seeds[s][m] for m in metrics[:6]) for s in seeds]
        short_avg = [statistics.mean(seeds[s][m] for m in metrics[6:]) for s in seeds]
        for values in list(per_seed.values()) + [long_avg, short_avg]:
            cells.append((statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0))
        table.append((variant, cells))
    best = [max(row[1][c][0] for row in table) for c in range(12)]
    lines = []
    for variant, cells in table:
        text = [f"{m:.1f} ± {s:.1f}" for m, s in cells]
        text = [f"**{t}**" if round(cells[c][0], 1) == round(best[c], 1) else t for c, t in enumerate(text)]
        lines.append("| " + str(variant) + " | " + " | ".join(text) + " |")
    output = "\n".join(lines)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "bytes": len(output)}))


if __name__ == "__main__":
    main()
