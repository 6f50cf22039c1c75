#!/usr/bin/env bash
# Submits the sweep as a Slurm array of SHARDS tasks and its merge, which waits for all of them:
#   SML_BIN=$PWD/build/tools SML_OUT=$PWD/sweep bash examples/hpc/submit.sh [SHARDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${1:-4}
out=${SML_OUT:-.}
mkdir -p "$out"
export SML_HPC_DIR=$here
# Slurm's logs go beside the shards, not into whatever folder sbatch was called from.
array=$(sbatch --parsable --export=ALL --output="$out/slurm-%A_%a.out" --array=0-$((shards - 1)) "$here/sweep.sbatch")
sbatch --parsable --export=ALL --output="$out/slurm-%j.out" --dependency=afterok:"$array" "$here/merge.sbatch"
