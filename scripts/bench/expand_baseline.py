#!/usr/bin/env python3
"""Baseline for `ablate-bench expand`: the same sweep expanded and hashed with itertools.product and hashlib.

Six axes of `side` values each; stages pretrain (axes a, b), sft (c, d; after pretrain), eval (e, f; after sft).
Each distinct job is hashed once with the same key scheme Ablate documents (canonical JSON of its uses map plus
upstream keys), deduplicated with a dict keyed by the job's identity tuple. Prints seconds, peak RSS and counts.
"""
import hashlib
import itertools
import json
import resource
import sys
import time


def main() -> None:
    side = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    axes = ["a", "b", "c", "d", "e", "f"]
    values = [[f"{axis}{i}" for i in range(side)] for axis in axes]
    stages = [("pretrain", ["a", "b"], None), ("sft", ["c", "d"], "pretrain"), ("eval", ["e", "f"], "sft")]
    start = time.perf_counter()
    tables = {name: {} for name, _, _ in stages}
    points = 0
    for point in itertools.product(*values):
        params = dict(zip(axes, point))
        upstream_key = None
        for name, uses, after in stages:
            identity = (tuple(params[u] for u in uses), upstream_key)
            table = tables[name]
            key = table.get(identity)
            if key is None:
                body = json.dumps({u: params[u] for u in uses}, sort_keys=True, separators=(",", ":")) + "\n"
                if after:
                    body += f"{after}={upstream_key}\n"
                key = hashlib.sha256((name + "\n" + body).encode()).hexdigest()
                table[identity] = key
            upstream_key = key
        points += 1
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    jobs = sum(len(t) for t in tables.values())
    print(json.dumps({"seconds": elapsed, "rss_mb": rss_mb, "points": points, "jobs": jobs}))


if __name__ == "__main__":
    main()
