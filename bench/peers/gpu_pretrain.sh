#!/usr/bin/env bash
# Trains the pretrained-model candidates that scripts/gpuPretrain.ts prepared (in JOBS, default
# .pre) on one GPU, all at once, each for BUDGET seconds (default 470) with the PyTorch peer
# (unet_pretrain_torch.py), then gathers the results into OUT (default $OUT) with pick_pretrain.py.
# Fits a 10-minute call: start-up, BUDGET, then sampling and scoring. DEVICE (default cuda) and
# EXTRA (more arguments for the peer, e.g. "--steps 20 --score-n 20") run it elsewhere as a smoke test.
#   bench/peers/gpu_pretrain.sh [BUDGET]
set -uo pipefail
cd "$(dirname "$0")/../.."
jobs=${JOBS:-.pre}
budget=${1:-470}
out=${OUT:?set OUT to the folder the results go to}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no NVIDIA GPU"
results=$(mktemp -d)
for dir in "$jobs"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/recipe.json" ] || continue
  OMP_NUM_THREADS=2 PYTHONUNBUFFERED=1 python3 bench/peers/unet_pretrain_torch.py --job "$dir" --data "$jobs/train.npy" \
    --device ${DEVICE:-cuda} ${EXTRA:-} --budget "$budget" --classifier models/mnist-classifier.onnx --out "$results/$name" > "$results/$name.log" 2>&1 &
done
wait
for log in "$results"/*.log; do echo "== $(basename "$log")"; grep -v '^{"step"' "$log" | cut -c1-600 | tail -8; done
python3 bench/peers/pick_pretrain.py "$results" "$out"
