#!/usr/bin/env python3
"""Markdown tables of the quantization study (runs/quant/results.jsonl, latency.jsonl) for docs/quantization.md."""
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "runs/quant"
rows = [json.loads(l) for l in open(os.path.join(out, "results.jsonl")) if l.strip()]
refit = os.path.join(out, "results-refit.jsonl")
if os.path.exists(refit):
    rows += [json.loads(l) for l in open(refit) if l.strip()]
lat = [json.loads(l) for l in open(os.path.join(out, "latency.jsonl")) if l.strip() and '"threads"' in l]


def split(model):
    name = os.path.basename(model)[:-4]
    data, rest = name.split("-", 1)
    backbone, variant = rest.split("-", 1)
    return data, backbone.split("_")[0], variant


order = {"fp32": 0, "fp16": 1, "int8-minmax": 2, "int8-percentile": 3, "int8-entropy": 4}
rows.sort(key=lambda r: (split(r["model"])[0], split(r["model"])[1], order.get(split(r["model"])[2], 9)))
print("| data set | backbone | variant | image AUROC | pixel AUROC | AUPRO | backbone MB | bundle MB |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    d, b, v = split(r["model"])
    print("| %s | %s | %s | %.3f | %.3f | %.3f | %.2f | %.1f |" % (
        d, b, v, r["image_auroc"], r["pixel_auroc"], r["aupro"], r["backbone_bytes"] / 1e6, r["model_bytes"] / 1e6))
print()
print("wall clock, same process as the metrics (noisy on a shared machine):")
for r in rows:
    d, b, v = split(r["model"])
    print("  %s %s %s: backbone %.0f ms, end to end %.0f ms" % (d, b, v, r["backbone_ms_per_image"], r["infer_ms_per_image"]))
print()
print("| data set | backbone | variant | threads | backbone ms (best of 5 rounds) | median round | ratio to FP32 |")
print("|---|---|---|---|---|---|---|")
for r in lat:
    d, b, v = split(r["model"])
    print("| %s | %s | %s | %d | %.1f | %.1f | %.2f |" % (d, b, v, r["threads"], r["backbone_ms_best_round"],
                                                       r["backbone_ms_median_round"], r["ratio_to_first_best"]))
cpu_file = os.path.join(out, "backbone-cpu.jsonl")
if os.path.exists(cpu_file):
    print()
    for l in open(cpu_file):
        if l.strip():
            r = json.loads(l)
            print("  %s %s: %.1f ms CPU, %.2f x FP32, %d bytes" % (r["backbone"], r["precision"], r["cpu_ms"], r["ratio_to_fp32"], r["bytes"]))
