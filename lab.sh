#!/usr/bin/env bash
# The consistency lab. Starts what is missing of the native stack, with the applications under the "lab" profile
# (only there are the lab's hooks — failpoints, effect log, mutants — loaded, from lab-hooks/target/lab-hooks.jar).
#
#   ./lab.sh run --orders N --faults all|none|failpoints,kill,kafka,postgres [--rate R] [--peers] [--json FILE] [--report FILE]
#       the three patterns and the naive dual write (commit-then-publish and publish-then-commit) at the same time,
#       N orders each on its own open-loop clock at R orders/s (7; lowered so the workload outlasts the faults;
#       the clocks go on past N, up to 2N, while planned faults are still to come: restarts are slow on 2 busy cores),
#       under the faults, one at a time, each 12 s after the last one's victim is back: armed failpoints, kill -9 of services, pollers, consumer and the Connect worker, a Kafka
#       broker kill, a PostgreSQL crash; the lab's supervisor restarts what went down. Every client operation is
#       recorded (run/lab/RUN_ID/history.jsonl). Then the verdict per writer, from the history, the database and every
#       topic read from the beginning; writes docs/consistency-report.md (or --report) and, with --json, the JSON.
#       --peers: namastack-outbox and Spring Modulith beside them (docs/peers.md), two instances each, with their own
#       faults (a crash between the broker's acknowledgement and the library's record of it, kill -9 of the second
#       instance), the broker's and the database's crash early in the plan; judged, not required to hold; the report
#       goes to docs/peers-consistency-report.md.
#       Exits 1 when one of the three patterns shows a violation or a planned fault did not fire.
#
#   ./lab.sh verify --run RUN_ID [--json FILE] [--report FILE]
#       judges a finished run again from its stored history, the database and the topics as they are now.
#
#   ./lab.sh mutants [--only NAME,NAME] [--json FILE]
#       small runs against deliberately broken variants; each must be caught by its detector. Writes docs/mutants.json.
#
#   ./lab.sh check --pattern TRANSACTIONAL_OUTBOX --orders 1000 [--rate 100] [--kill outbox-poller-1] [--json FILE]
#       one pattern alone, optionally with one process killed a third of the way in (and restarted); same verdict.
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
require_java
LAB_JAR=$ROOT/consistency-lab/target/consistency-lab.jar
[ -f "$LAB_JAR" ] || fail "the lab is not built; run ./start_all_services.sh (it builds) or mvn -DskipTests package"
[ -f "$ROOT/lab-hooks/target/lab-hooks.jar" ] || fail "lab-hooks/target/lab-hooks.jar is missing; run mvn -DskipTests package"

usage() { sed -n '2,/^set /{/^#/p}' "$0"; }
command=${1:-}
[ -n "$command" ] || { usage; exit 2; }
shift
case "$command" in
  run) main=dev.dualwrite.lab.LabRun ;;
  verify) main=dev.dualwrite.lab.LabVerify ;;
  mutants) main=dev.dualwrite.lab.LabMutants ;;
  check) main=dev.dualwrite.lab.PatternCheck ;;
  -h|--help) usage; exit 0 ;;
  *) fail "unknown command $command (try --help)" ;;
esac
export SPRING_PROFILES_ACTIVE=lab
# With --peers twenty JVMs share the machine and every restarted one compiles its hot path while the clients' queued
# orders flood it (restarts took over 180 s on 2 cores): the applications the lab starts then compile with C1 only —
# quicker to start, no C2 compiler threads — unless APP_JAVA_OPTS says otherwise. The lab judges correctness, not speed.
if [ "$command" = run ] && [[ " $* " == *" --peers "* ]] && [ -z "${APP_JAVA_OPTS:-}" ]; then
  export APP_JAVA_OPTS="-Xms64m -Xmx256m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m -XX:TieredStopAtLevel=1"
  echo "--peers: the applications run with APP_JAVA_OPTS=$APP_JAVA_OPTS"
fi
exec java -Xmx512m -XX:+UseSerialGC -Ddualwrite.home="$ROOT" -cp "$LAB_JAR:$ROOT/consistency-lab/target/lib/*" "$main" "$@"
