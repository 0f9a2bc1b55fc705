#!/usr/bin/env python3
"""Markdown table of the quantization study (results.jsonl, cpu.jsonl of scripts/quantization-study.sh) for docs/quantization.md."""
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "runs/quant"


def load(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return []
    return [json.loads(l) for l in open(path) if l.strip().startswith("{") and '"model"' in l]


rows = {r["model"]: r for r in load("results.jsonl")}
cpu = {}
for r in load("cpu.jsonl"):
    cpu[r["model"]] = r  # the latest measurement of a bundle counts


def split(model):
    """data-method-backbone-variant.zip -> (data, method, backbone, variant)."""
    name = os.path.basename(model)[:-4]
    data, method, rest = name.split("-", 2)
    backbone, variant = rest.split("-", 1)
    return data, method, backbone.split("_")[0], variant


order = {"fp32": 0, "fp16": 1, "int8-minmax": 2, "int8-percentile": 3, "int8-entropy": 4,
         "int8-minmax-refit": 5, "int8-percentile-refit": 6, "int8-entropy-refit": 7,
         "int8-minmax-ptq": 8, "int8-percentile-ptq": 9, "int8-entropy-ptq": 10}
keys = sorted(rows, key=lambda m: split(m)[:3] + (order.get(split(m)[3], 9),))
print("| data set | method | backbone | variant | head | image AUROC | pixel AUROC | AUPRO | backbone CPU ms | "
      "end-to-end CPU ms | backbone / FP32 | backbone MB | bundle MB | peak heap MB | peak RSS MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for m in keys:
    r = rows[m]
    d, meth, b, v = split(m)
    q = r.get("quantization") or {}
    head = "refit" if q.get("refit") else ("float" if v != "fp32" else "-")
    c = cpu.get(m)
    bb = "%.1f" % c["backbone_cpu_ms"] if c else "n/a"
    e2e = "%.1f" % c["end_to_end_cpu_ms"] if c else "n/a"
    # the ratio to the FP32 bundle timed in the same process (the first of each --cpu run)
    ratio = "%.2f" % c["backbone_ratio_to_first"] if c else "n/a"
    n = r.get("test_images")
    print("| %s%s | %s | %s | %s | %s | %.3f | %.3f | %.3f | %s | %s | %s | %.2f | %.1f | %.0f | %.0f |" % (
        d, "" if n is None else " (%d test)" % n, meth, b, v.replace("-ptq", "").replace("-refit", ""), head, r["image_auroc"], r["pixel_auroc"],
        r["aupro"], bb, e2e, ratio, r["backbone_bytes"] / 1e6, r["model_bytes"] / 1e6, r["peak_heap_mb"], r["peak_rss_mb"]))
