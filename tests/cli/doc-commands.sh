#!/usr/bin/env bash
# Every example command in README.md (the `$ ` lines of its console blocks) and in the man pages
# (the .nf blocks of their EXAMPLE sections) runs as written, from a temporary folder that looks
# like the source tree after the build: build/ is the build folder, tests/ and examples/ are the
# shipped ones (examples copied, so what the commands write stays in the folder), the installed
# names of the tools are on PATH for the man pages. A command must exit 0, or 3 where it sets a
# budget gate (--max-…). Files a man page's example names as the user's own (problem.txt, a
# resnet50.onnx of theirs) are put there first.
set -u
root=$1
build=$2
. "$(dirname "$0")/lib.sh"
# In memory where there is /dev/shm: one example writes BERT-base with its weights (440 MB), and
# the atomic writer's fsync makes that take 40 s on a busy disk, well under 1 s in tmpfs.
work=$(mktemp -d /dev/shm/sml-doc-commands.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$tmp" "$work"' EXIT
ln -s "$build" "$work/build"
ln -s "$root/tests" "$work/tests"
cp -r "$root/examples" "$work/examples"
cp "$root/Makefile.inc" "$work/"
cp "$root/tests/models/resnet50.onnx" "$work/resnet50.onnx"
echo "count the cows in drone footage at 10 fps on a Jetson Orin Nano" >"$work/problem.txt"

# README: "$ cmd" lines, with the lines after one ending in a backslash; records end in \x1e.
awk '/^```console/ {c=1; next}
     /^```/ {c=0; more=0; next}
     !c {next}
     more {cmd = cmd "\n" $0; more = ($0 ~ /\\$/); if (!more) printf "%s\x1e", cmd; next}
     /^\$ / {cmd = substr($0, 3); more = (cmd ~ /\\$/); if (!more) printf "%s\x1e", cmd}' "$root/README.md" >"$tmp/readme.cmds"
# Man pages: the lines of .nf blocks in EXAMPLE sections, roff escapes undone, a command going on
# after a line that ends in |, && or a backslash.
for page in "$root"/man/*.[157]; do
  awk '/^\.SH/{e=($0 ~ /EXAMPLE/)} e && /^\.nf/{f=1; next} /^\.fi/{f=0} e && f' "$page" |
    sed 's/\\-/-/g; s/\\e/\\/g'
done | awk '{cmd = (cmd == "" ? $0 : cmd "\n" $0)} !/(\||&&|\\)[[:space:]]*$/ {printf "%s\x1e", cmd; cmd=""}' >"$tmp/man.cmds"

run_commands() {  # FILE: commands, each ended by \x1e
  local n=0
  while IFS= read -r -d $'\x1e' cmd; do
    [ -n "${cmd//[[:space:]]/}" ] || continue
    n=$((n + 1))
    case $cmd in
      *submit.sh*) if ! sinfo -h >/dev/null 2>&1; then echo "skipped (needs a running Slurm; hpc.slurm runs it): ${cmd%%$'\n'*}"; continue; fi ;;
    esac
    want=0
    case $cmd in *--max-*) want="0|3" ;; esac
    (cd "$work" && PATH="$work/build/tools:$PATH" bash -o pipefail -c "$cmd") </dev/null >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [[ $got =~ ^($want)$ ]]; then pass=$((pass + 1)); else
      fail=$((fail + 1)); echo "FAIL (exit $got): $cmd"; sed 's/^/  stderr: /' "$tmp/err" | tail -3
    fi
  done <"$1"
  echo "$n commands from $(basename "$1" .cmds)"
}
run_commands "$tmp/readme.cmds"
run_commands "$tmp/man.cmds"
finish
