"""
Gathers what bench/peers/gpu_pretrain.sh's candidates wrote (unet_pretrain_torch.py --out) into
the few files a GPU machine hands back: OUT/summary.json (every candidate's score.json and run.json),
the best candidate's state (OUT/best/params.f32, ema.f32, m.f32, v.f32) and the others' chosen EMA
(OUT/<name>.ema.f32). Best: the most samples labelled confidently at any eps by the chosen EMA.

usage: python3 pick_pretrain.py RESULTS_DIR OUT_DIR
"""
import json
import os
import shutil
import sys


def confident(score):
    scores = score.get("scores") or {}
    mine = scores.get(str(score.get("emaChosen")))
    return max((r["confident"] for r in mine.values()), default=-1) if isinstance(mine, dict) else -1


def main():
    src, out = sys.argv[1], sys.argv[2]
    summary = {}
    for name in sorted(os.listdir(src)):
        d = os.path.join(src, name)
        if not os.path.isfile(os.path.join(d, "score.json")):
            continue
        summary[name] = {"score": json.load(open(os.path.join(d, "score.json"))), "run": json.load(open(os.path.join(d, "run.json")))}
    if not summary:
        print("no candidate finished", file=sys.stderr)
        return 1
    best = max(summary, key=lambda n: confident(summary[n]["score"]))
    os.makedirs(os.path.join(out, "best"), exist_ok=True)
    for f in ("params.f32", "ema.f32", "m.f32", "v.f32"):
        shutil.copy(os.path.join(src, best, f), os.path.join(out, "best", f))
    for name in summary:
        if name != best:
            shutil.copy(os.path.join(src, name, "ema.f32"), os.path.join(out, f"{name}.ema.f32"))
    json.dump({"best": best, "candidates": summary}, open(os.path.join(out, "summary.json"), "w"))
    for name, c in summary.items():
        s = c["score"]
        print(json.dumps({k: s.get(k) for k in ("job", "steps", "stepsPerSec", "finalLoss", "emaChosen", "scores", "check")}))
    print(json.dumps({"best": best}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
