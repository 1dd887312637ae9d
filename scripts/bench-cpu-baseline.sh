#!/usr/bin/env bash
# CPU per order of an earlier commit, measured by this tree's benchmark: a git worktree of <commit> is built, and this
# tree's `./bench.sh --only cpu` runs that commit's jars (its stack in the worktree's own run directory). A later
# `./bench.sh --only cpu --cpu-baseline FILE.json` then compares today's code with it like for like: same benchmark,
# same warm-up, same machine.
#
#   scripts/bench-cpu-baseline.sh <commit> [FILE-PREFIX]    (default docs/benchmarks-cpu-before: .md and .json)
#   BENCH_SECTIONS=cpu,write scripts/bench-cpu-baseline.sh ...  other sections of ./bench.sh too (default: cpu)
#
# Stops this tree's stack first (the baseline's uses the same ports) and the baseline's after. About 25 minutes.
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_java
commit=${1:?usage: scripts/bench-cpu-baseline.sh <commit> [file-prefix]}
prefix=${2:-$ROOT/docs/benchmarks-cpu-before}
short=$(git -C "$ROOT" rev-parse --short "$commit")
sections=${BENCH_SECTIONS:-cpu}
tree=${TMPDIR:-/tmp}/dualwrite-baseline-$short
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
[ -f "$BENCH_JAR" ] || fail "the benchmarks are not built; run mvn -DskipTests package"

echo "stopping this tree's stack (the baseline's uses the same ports)"
"$ROOT/stop_all_services.sh"
if [ ! -d "$tree" ]; then
  echo "worktree of $short in $tree"
  git -C "$ROOT" worktree add --detach "$tree" "$commit" >/dev/null
fi
echo "building $short (about 3 minutes; log: $tree/build.log)"
(cd "$tree" && mvn -B -q -DskipTests package >build.log 2>&1) || fail "the build of $short failed; see $tree/build.log"

# This tree's launcher starts Zipkin with the stack; a commit from before tracing has no Zipkin to build.
zipkin=native-stack/zipkin-runtime/target/zipkin-server.jar
if [ ! -f "$tree/$zipkin" ]; then
  echo "$short builds no Zipkin server; using this tree's ($zipkin)"
  mkdir -p "$(dirname "$tree/$zipkin")" && cp "$ROOT/$zipkin" "$tree/$zipkin"
fi
echo "measuring $short's jars with this tree's benchmark; its stack's logs in $tree/run/logs"
unset SPRING_PROFILES_ACTIVE
# as ./bench.sh: what it starts samples no trace, or the baseline pays for spans the run it is compared with does not
export TRACING_SAMPLING_PROBABILITY=${TRACING_SAMPLING_PROBABILITY:-0}
status=0
java -Ddualwrite.home="$tree" -cp "$BENCH_JAR:$ROOT/benchmarks/target/lib/*" dev.dualwrite.bench.Benchmarks \
  --only "$sections" --report "$prefix.md" --json "$prefix.json" || status=$?
if [ "$status" -eq 0 ]; then
  # say in the report what it measured: the command line it prints is the benchmark's, not this script's
  sed -i "1a\\
\\
The code of commit \`$short\`, measured by the benchmark of commit \`$(git -C "$ROOT" rev-parse --short HEAD)\`:\\
\`BENCH_SECTIONS=$sections scripts/bench-cpu-baseline.sh $short\`." "$prefix.md"
  echo "baseline written: $prefix.md, $prefix.json (compare: ./bench.sh --only cpu --cpu-baseline $prefix.json)"
fi
echo "stopping $short's stack"
"$tree/stop_all_services.sh" || true
exit "$status"
