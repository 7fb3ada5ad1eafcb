#!/usr/bin/env bash
# DeepUnlearn's one entry point: installs what is missing, builds, and runs the demo, the tests or a
# benchmark. Works on a fresh Debian 12 / Ubuntu machine as root or with sudo.
#
#   ./build.sh demo [args]     prerequisites + build + `deepunlearn demo`
#   ./build.sh test            prerequisites + build + the whole test suite
#   ./build.sh bench [args]    prerequisites + build + `deepunlearn bench ...`
#   ./build.sh build           prerequisites + build only
#   ./build.sh deps            prerequisites only
#   ./build.sh cli [args]      prerequisites + build + `deepunlearn <args>`
#
# The tensor engine is TorchSharp 0.107 with libtorch 2.10, restored from NuGet by the build (CPU package by
# default). Environment: TORCH_BACKEND=cuda builds against libtorch-cuda-12.8-linux-x64 instead (NuGet.org;
# needs an NVIDIA driver at run time); CONFIGURATION=Debug|Release (default Release).
set -euo pipefail

cd "$(dirname "$0")"
CONFIGURATION="${CONFIGURATION:-Release}"
# cmake, a C compiler, libjpeg-turbo and libpng: the image codecs (src/DeepUnlearn.Native/codecs); libsvm: the
# SVC of the membership-inference audit; patchelf: the build patches a copy of TorchSharp's native library where
# the system libstdc++ is older than GCC 13 (Debian 12; see src/DeepUnlearn/Engine/LoaderFix); Fashion-MNIST: the
# demo's and the tests' real data.
APT_PACKAGES=(cmake gcc g++ make pkg-config patchelf libturbojpeg0-dev libpng-dev libsvm-dev dataset-fashion-mnist)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "build.sh: '$*' needs root; run as root or install sudo" >&2
        exit 2
    fi
}

ensure_deps() {
    local missing=()
    for package in "${APT_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "build.sh: installing ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
        echo "build.sh: the .NET 10 SDK is missing; trying the distribution's dotnet-sdk-10.0"
        as_root apt-get update -qq
        if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dotnet-sdk-10.0; then
            echo "build.sh: install the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux) and rerun" >&2
            exit 2
        fi
    fi
}

build() {
    local torch_args=()
    if [ -n "${TORCH_BACKEND:-}" ]; then
        torch_args=("-p:TorchBackend=${TORCH_BACKEND}")
    fi
    dotnet build DeepUnlearn.sln -c "$CONFIGURATION" --nologo -v quiet "${torch_args[@]}"
}

cli() {
    "src/DeepUnlearn.Cli/bin/${CONFIGURATION}/net10.0/deepunlearn" "$@"
}

command="${1:-demo}"
shift || true
case "$command" in
    deps) ensure_deps ;;
    build) ensure_deps; build ;;
    demo) ensure_deps; build; cli info; cli demo "$@" ;;
    bench) ensure_deps; build; cli bench "$@" ;;
    cli) ensure_deps; build; cli "$@" ;;
    test)
        ensure_deps
        build
        dotnet test DeepUnlearn.sln -c "$CONFIGURATION" --no-build --nologo "$@"
        ;;
    *)
        echo "usage: ./build.sh demo|test|bench|build|deps|cli [args]" >&2
        exit 1
        ;;
esac
