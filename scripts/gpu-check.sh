#!/usr/bin/env bash
# The GPU check (BENCHMARKS.md, GPU), in one run on a GPU machine (under 8 minutes on an H100 with
# 16 cores before the calibration step, which is bounded at 3): WebGPU against the CPU
# (scripts/backendCheck.ts), the speed table (scripts/gpuSpeed.ts: the default MLP at batch 1024,
# 4096, 16384 with each step runner (CPU on all cores: the Loop and unrolled pieces; WebGPU:
# unrolled pieces host-fed and with the state on the device) and the default MNIST U-Net), the gpu-buffer findings (bench/flowlab/gpuBuffers.ts), the calibration
# behind 'auto' (`flowlab backends --calibrate`: its decisions and rates) and PyTorch on CUDA,
# eager and torch.compile (bench/peers/torch_cuda.py). Results go to bench/results/gpu.json
# (agreement) and bench/results/gpu-speed.json; BENCHMARKS.md is re-rendered.
#   scripts/gpu-check.sh [--quick]     (--quick: tiny sizes, to test it on lavapipe or any machine)
set -uo pipefail
cd "$(dirname "$0")/.."
quick=
case "${1:-}" in
  --quick) quick=1 ;;
  '') ;;
  *) echo "usage: scripts/gpu-check.sh [--quick]" >&2; exit 2 ;;
esac
# A bare machine may lack the Vulkan loader: unpack the .deb files carried in .gl/ (see bench/README.md).
if ! ldconfig -p | grep -q libvulkan.so.1 && ls .gl/*.deb >/dev/null 2>&1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$nvidia_icd" ] && [ -z "${VK_DRIVER_FILES:-}" ] && export VK_DRIVER_FILES=$nvidia_icd
gpu=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1)
machine="${gpu:-no NVIDIA GPU} ($(nproc) CPU cores), WebGPU over Vulkan"
out=bench/results
[ -n "$quick" ] && out=bench/results/quick
mkdir -p "$out"
tsx() { node --import tsx "$@"; }
start=$(date +%s)
stamp() { echo "[gpu-check $(( $(date +%s) - start )) s] $*" >&2; }

stamp "agreement: webgpu against the CPU"
if [ -n "$quick" ]; then
  tsx scripts/backendCheck.ts --backend webgpu --train-steps 1,5 --n 256 --speed no --machine "$machine" --out "$out/gpu.json" >/dev/null
else
  timeout 240 node --import tsx scripts/backendCheck.ts --backend webgpu --train-steps 1,50,500 --speed no --machine "$machine" --out "$out/gpu.json" >/dev/null
fi
agree=$?
stamp "agreement exit code $agree (0: within tolerance)"

stamp "gpu-buffer experiment"
if [ -n "$quick" ]; then tsx bench/flowlab/gpuBuffers.ts --batch 64 --steps 20 --hidden 16 > "$out/gpu-buffers.json"
else timeout 120 node --import tsx bench/flowlab/gpuBuffers.ts --batch 4096 --steps 100 --hidden 256 > "$out/gpu-buffers.json"; fi

stamp "FlowLab speed"
if [ -n "$quick" ]; then tsx scripts/gpuSpeed.ts --quick --out "$out/gpu-flowlab.json" >/dev/null
else timeout 240 node --import tsx scripts/gpuSpeed.ts --seconds 2 --out "$out/gpu-flowlab.json" >/dev/null; fi

stamp "calibration (what auto decides here)"
calib_dir=$(mktemp -d)
if [ -n "$quick" ]; then timeout 300 node --import tsx src-main/cli/run.ts backends --calibrate --seconds 0.1 --json --data-dir "$calib_dir" > "$out/gpu-calibration.json"
else timeout 180 node --import tsx src-main/cli/run.ts backends --calibrate --json --data-dir "$calib_dir" > "$out/gpu-calibration.json"; fi
rm -rf "$calib_dir"

stamp "PyTorch peer"
spec=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(JSON.stringify(r.unetPeerSpec))' "$out/gpu-flowlab.json" 2>/dev/null || echo null)
ubatch=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).unetBatch)' "$out/gpu-flowlab.json" 2>/dev/null || echo 16)
device=cuda
python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null || device=cpu
if [ -n "$quick" ]; then
  (cd bench/peers && timeout 300 python3 torch_cuda.py --device "$device" --threads 1 --batches 64,128 --modes eager --seconds 0.2 --sample-n 512 --sample-steps 5 --unet-spec "$spec" --unet-batch "$ubatch" --unet-sample-n 4 --unet-sample-steps 2) > "$out/gpu-torch.json"
else
  (cd bench/peers && timeout 200 python3 torch_cuda.py --device "$device" --modes eager,compile --seconds 1 --unet-spec "$spec" --unet-batch "$ubatch") > "$out/gpu-torch.json"
fi

stamp "merge"
node bench/gpuMerge.mjs "$out" "$machine"
[ -z "$quick" ] && node bench/summarize.mjs
stamp "done"
exit $agree
