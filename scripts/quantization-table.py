#!/usr/bin/env python3
"""Markdown tables of the quantization study (runs/quant/results.jsonl, latency.jsonl) for docs/quantization.md."""
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "runs/quant"
rows = [json.loads(l) for l in open(os.path.join(out, "results.jsonl")) if l.strip()]
lat = [json.loads(l) for l in open(os.path.join(out, "latency.jsonl")) if l.strip() and '"threads"' in l]


def split(model):
    name = os.path.basename(model)[:-4]
    data, rest = name.split("-", 1)
    backbone, variant = rest.split("-", 1)
    return data, backbone.split("_")[0], variant


print("| data set | backbone | variant | image AUROC | pixel AUROC | AUPRO | backbone ms | end-to-end ms | backbone MB |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    d, b, v = split(r["model"])
    print("| %s | %s | %s | %.3f | %.3f | %.3f | %.0f | %.0f | %.1f |" % (
        d, b, v, r["image_auroc"], r["pixel_auroc"], r["aupro"], r["backbone_ms_per_image"],
        r["infer_ms_per_image"], r["backbone_bytes"] / 1e6))
print()
print("| data set | backbone | variant | threads | backbone ms (best of 5 rounds) | median round | ratio to FP32 |")
print("|---|---|---|---|---|---|---|")
for r in lat:
    d, b, v = split(r["model"])
    print("| %s | %s | %s | %d | %.1f | %.1f | %.2f |" % (d, b, v, r["threads"], r["backbone_ms_best_round"],
                                                       r["backbone_ms_median_round"], r["ratio_to_first_best"]))
