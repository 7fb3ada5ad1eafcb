#!/usr/bin/env bash
# What only a GPU run can confirm, in one go (about 5-10 minutes on one GPU): run this on a machine with an NVIDIA
# driver after building with the CUDA package (TORCH_BACKEND=cuda ./build.sh build, or inside docker/Dockerfile.cuda).
# It checks that libtorch sees the GPU, that training, unlearning (gradient methods, and PGU, whose forward hooks
# must fire on CUDA) and evaluation run on cuda:0 and agree with the CPU, with and without mixed precision (the CUDA
# default is bf16 autocast on compute capability >= 8.0, else fp16 with loss scaling, plus channels-last for conv
# models; --amp off --channels-last off is float32), and prints the engine and data benchmarks.
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
step train-gpu-augment-host "$CLI" train --data "$DATA" --model smallcnn --epochs 1 --device "$DEVICE" --augment-on host --out "${OUT}/train-gpu-augment-host"
step train-gpu-fp32 "$CLI" train --data "$DATA" --model smallcnn --epochs 1 --device "$DEVICE" --amp off --channels-last off --out "${OUT}/train-gpu-fp32"
step train-gpu-fp16 "$CLI" train --data "$DATA" --model smallcnn --epochs 1 --device "$DEVICE" --amp fp16 --out "${OUT}/train-gpu-fp16"
step train-gpu-resnet18 "$CLI" train --data "$DATA" --model resnet18 --epochs 1 --device "$DEVICE" --out "${OUT}/train-gpu-resnet18"
step train-cpu "$CLI" train --data "$DATA" --model smallcnn --epochs 1 --device cpu --out "${OUT}/train-cpu"
CKPT="${OUT}/train-gpu/best.safetensors"
step evaluate-gpu "$CLI" evaluate --checkpoint "$CKPT" --device "$DEVICE" --out "${OUT}/evaluate-gpu"
step evaluate-cpu "$CLI" evaluate --checkpoint "$CKPT" --device cpu --out "${OUT}/evaluate-cpu"
for method in famr salun scrub ssd pgu; do
    step "unlearn-${method}" "$CLI" unlearn --checkpoint "$CKPT" --method "$method" --forget-class Trouser --device "$DEVICE" --out "${OUT}/unlearn-${method}"
done
for method in famr pgu; do
    step "unlearn-${method}-fp32" "$CLI" unlearn --checkpoint "$CKPT" --method "$method" --forget-class Trouser --device "$DEVICE" --amp off --channels-last off --out "${OUT}/unlearn-${method}-fp32"
    step "unlearn-${method}-fp16" "$CLI" unlearn --checkpoint "$CKPT" --method "$method" --forget-class Trouser --device "$DEVICE" --amp fp16 --out "${OUT}/unlearn-${method}-fp16"
done
step compare-gpu "$CLI" compare --checkpoint "$CKPT" --methods famr,pgu,finetune --forget-class Trouser --device "$DEVICE" --out "${OUT}/compare-gpu"
step bench-engine-smallcnn "$CLI" bench engine --model smallcnn
step bench-engine-resnet18 "$CLI" bench engine --model resnet18
step bench-train "$CLI" bench train --model resnet18
step bench-data "$CLI" bench data --device "$DEVICE"

echo
echo "gpu-check on ${DEVICE}, logs in ${OUT}:"
printf '  %s\n' "${results[@]}"
for split in gpu cpu; do
    if [ -f "${OUT}/evaluate-${split}/evaluation.json" ]; then
        printf '  accuracy of the GPU-trained model evaluated on %s: %s\n' "$split" "$(grep -o '"accuracy": *[0-9.]*' "${OUT}/evaluate-${split}/evaluation.json" | head -1)"
    fi
done
echo "  (the two accuracies should agree to within a few hundredths of a point: cuDNN's kernels are not bit-identical to the CPU's)"
# The precision each GPU run resolved (auto should say bf16 with the compute capability, or fp16 below 8.0), its test
# accuracy and its training speed: AMP should train at least as fast as float32 and reach a similar accuracy.
# train-gpu finishes its batches on the device (uint8 batches, docs/data.md), train-gpu-augment-host on the host: the
# same accuracy within noise, and the device path at least as fast.
for run in train-gpu train-gpu-augment-host train-gpu-fp32 train-gpu-fp16 train-gpu-resnet18; do
    if [ -f "${OUT}/${run}/run.json" ]; then
        printf '  %-26s %s | %s | %s | %s\n' "$run" \
            "$(grep -o '"reason": *"[^"]*"' "${OUT}/${run}/run.json" | head -1)" \
            "$(grep -o '"augmentation": *"[^"]*"' "${OUT}/${run}/run.json" | head -1)" \
            "$(grep -o '"test_accuracy": *[0-9.]*' "${OUT}/${run}/metrics.json" 2>/dev/null | head -1)" \
            "$(grep -o '"images_per_second": *[0-9.]*' "${OUT}/${run}/metrics.json" 2>/dev/null | head -1)"
    fi
done
for method in famr pgu; do
    for variant in "" -fp32 -fp16; do
        if [ -f "${OUT}/unlearn-${method}${variant}/metrics.json" ]; then
            printf '  unlearn-%-12s %s\n' "${method}${variant}" "$(tr -d '\n ' < "${OUT}/unlearn-${method}${variant}/metrics.json" | grep -o '"unlearned":{[^}]*' | grep -o '"\(unlearning_accuracy\|retain_accuracy\|test_accuracy\)":[0-9.]*' | tr '\n' ' ')"
        fi
    done
done
if printf '%s\n' "${results[@]}" | grep -q '^FAIL'; then
    exit 1
fi
