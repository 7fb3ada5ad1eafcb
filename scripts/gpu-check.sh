#!/usr/bin/env bash
# What only a GPU run can confirm, in one go (about 5-10 minutes on one GPU): run this on a machine with an NVIDIA
# driver after building with the CUDA package (TORCH_BACKEND=cuda ./build.sh build, or inside docker/Dockerfile.cuda).
# It checks that libtorch sees the GPU, that training, unlearning (gradient methods, and PGU, whose forward hooks
# must fire on CUDA) and evaluation run on cuda:0 and agree with the CPU, and prints the engine and data benchmarks.
# Exit status: 0 when every step passed; the summary at the end lists each step.
#   scripts/gpu-check.sh [DEVICE]     (default cuda:0)
set -uo pipefail
cd "$(dirname "$0")/.."
DEVICE="${1:-cuda:0}"
CONFIGURATION="${CONFIGURATION:-Release}"
CLI="src/DeepUnlearn.Cli/bin/${CONFIGURATION}/net10.0/deepunlearn"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/du-gpu-check.XXXXXX")"
DATA="${DATA:-fashion-mnist}"
results=()

step() {
    local name="$1"
    shift
    echo "== ${name}: $*"
    local started=$SECONDS
    if "$@" > "${OUT}/${name}.log" 2>&1; then
        results+=("PASS  ${name} ($((SECONDS - started)) s)")
    else
        results+=("FAIL  ${name} ($((SECONDS - started)) s, log: ${OUT}/${name}.log)")
        tail -n 20 "${OUT}/${name}.log"
    fi
}

if [ ! -x "$CLI" ]; then
    echo "gpu-check: build first (TORCH_BACKEND=cuda ./build.sh build); $CLI is missing" >&2
    exit 2
fi

step info "$CLI" info
if grep -q "CUDA *not available" "${OUT}/info.log"; then
    results+=("FAIL  cuda-visible (libtorch reports no CUDA device: is this the CUDA build, with a driver?)")
fi
step train-gpu "$CLI" train --data "$DATA" --model smallcnn --epochs 1 --device "$DEVICE" --out "${OUT}/train-gpu"
step train-cpu "$CLI" train --data "$DATA" --model smallcnn --epochs 1 --device cpu --out "${OUT}/train-cpu"
CKPT="${OUT}/train-gpu/best.safetensors"
step evaluate-gpu "$CLI" evaluate --checkpoint "$CKPT" --device "$DEVICE" --out "${OUT}/evaluate-gpu"
step evaluate-cpu "$CLI" evaluate --checkpoint "$CKPT" --device cpu --out "${OUT}/evaluate-cpu"
for method in famr salun scrub ssd pgu; do
    step "unlearn-${method}" "$CLI" unlearn --checkpoint "$CKPT" --method "$method" --forget-class Trouser --device "$DEVICE" --out "${OUT}/unlearn-${method}"
done
step compare-gpu "$CLI" compare --checkpoint "$CKPT" --methods famr,pgu,finetune --forget-class Trouser --device "$DEVICE" --out "${OUT}/compare-gpu"
step bench-engine-smallcnn "$CLI" bench engine --model smallcnn
step bench-engine-resnet18 "$CLI" bench engine --model resnet18
step bench-train "$CLI" bench train --model resnet18
step bench-data "$CLI" bench data

echo
echo "gpu-check on ${DEVICE}, logs in ${OUT}:"
printf '  %s\n' "${results[@]}"
for split in gpu cpu; do
    if [ -f "${OUT}/evaluate-${split}/evaluation.json" ]; then
        printf '  accuracy of the GPU-trained model evaluated on %s: %s\n' "$split" "$(grep -o '"accuracy": *[0-9.]*' "${OUT}/evaluate-${split}/evaluation.json" | head -1)"
    fi
done
echo "  (the two accuracies should agree to within a few hundredths of a point: cuDNN's kernels are not bit-identical to the CPU's)"
if printf '%s\n' "${results[@]}" | grep -q '^FAIL'; then
    exit 1
fi
