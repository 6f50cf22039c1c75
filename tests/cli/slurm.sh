#!/usr/bin/env bash
# The HPC example for real: a single-node Slurm (munged + slurmctld + slurmd, started here on
# localhost with their state in a temporary folder) runs examples/hpc/submit.sh: a 4-task array
# of sweep shards, then the merge that waits for them. The merged sweep must equal the whole
# sweep run in one process. Needs root and Debian's slurm-wlm (CI installs it); exits 77, which
# ctest reports as skipped, where the machine does not allow it.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool not installed (apt-get install slurm-wlm)"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "skipped: starting slurmd needs root"; exit 77; }
d=$(mktemp -d /tmp/sml-slurm.XXXXXX)
chmod 755 "$d"
mkdir -p "$d/state" "$d/spool" "$d/munge" "$d/out"
cleanup() {
  for p in "$d/slurmd.pid" "$d/slurmctld.pid" "$d/munge/munged.pid"; do [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
  sleep 1
  rm -rf "$d"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$d"/*.log; do echo "--- $f"; tail -5 "$f"; done; exit 1; }
# The daemons not starting means this machine does not allow a Slurm (a container without the
# privileges slurmd needs): skipped, with the reason. Jobs that start and then fail are failures.
cannot() { echo "skipped: $*"; for f in "$d"/*.log; do echo "--- $f"; tail -3 "$f"; done; exit 77; }
mungekey -c -k "$d/munge/munge.key" -f >/dev/null 2>&1 && chmod 600 "$d/munge/munge.key" || cannot "mungekey"
munged -f --key-file="$d/munge/munge.key" --socket="$d/munge/socket" --pid-file="$d/munge/munged.pid" \
  --log-file="$d/munged.log" --seed-file="$d/munge/seed" || cannot "munged did not start"
host=$(hostname -s)
port=$((20000 + RANDOM % 9000))
cat >"$d/slurm.conf" <<CONF
ClusterName=smltest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$d/munge/socket
CryptoType=crypto/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$d/slurm.conf
slurmctld -c -f "$SLURM_CONF" || cannot "slurmctld did not start"
slurmd -f "$SLURM_CONF" || cannot "slurmd did not start"
for _ in $(seq 60); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.5; done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || cannot "the node did not come up"

# Submitted from the temporary folder: anything Slurm writes where it was called lands there, never
# in the source tree (slurm-*.out files were once committed from a run in $root).
cd "$d"
SML_BIN=$bin SML_OUT=$d/out SML_MODEL=$root/tests/models/resnet50.onnx bash "$root/examples/hpc/submit.sh" 4 >"$d/submit.out" || fail "sbatch"
for _ in $(seq 240); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
[ -z "$(squeue -h)" ] || fail "jobs still queued after 2 minutes"
[ -s "$d/out/sweep.yaml" ] || fail "no merged sweep"
read -r -a axes <"$root/examples/hpc/sweep.axes"
"$bin/sml-accelsim" "$root/tests/models/resnet50.onnx" "${axes[@]}" -q -o "$d/whole.yaml" || fail "the whole sweep"
diff <(grep -v '^generator' "$d/out/sweep.yaml") <(grep -v '^generator' "$d/whole.yaml") >/dev/null || fail "merged shards differ from the whole sweep"
ls "$d"/out/slurm-*.out >/dev/null 2>&1 || fail "no Slurm logs beside the shards (submit.sh --output)"
[ -z "$(ls "$root"/slurm-*.out 2>/dev/null)" ] || fail "Slurm logs written into the source tree"
echo "slurm: 4 array tasks and the merge ran; the merged sweep equals the whole one ($(grep -c 'index:' "$d/whole.yaml") points)"
