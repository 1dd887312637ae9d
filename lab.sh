#!/usr/bin/env bash
# The consistency lab. Needs the native stack up (./start_all_services.sh).
#
#   ./lab.sh run --orders N --faults all|none|failpoints,kill,kafka,postgres [--rate R] [--json FILE] [--report FILE]
#       the naive dual write beside the three patterns, N orders each at R orders/s (60), under the faults: armed
#       failpoints (halt a JVM at the moments that matter), kill -9 of services, pollers, consumer and the Connect
#       worker, a Kafka broker kill and restart, a PostgreSQL crash and restart; the lab restarts what went down. Then
#       it reads the database and every topic from the beginning and prints, per pattern, committed | lost | phantom |
#       dup-on-topic | dup-effects | reorders | mismatches; writes docs/consistency-report.md (or --report) and, with
#       --json, {"patterns": {...}}. Exits 1 when one of the three patterns has a violation. Starts the stack (and
#       the naive service, port 8086) if needed, with the applications under the "lab" profile.
#
#   ./lab.sh check --pattern TRANSACTIONAL_OUTBOX --orders 1000 --confirm 300 --cancel 200 [--kill outbox-poller-1]
#       creates orders with concurrent clients through the pattern's service, confirms and cancels some, optionally
#       kills one process with kill -9 halfway, then compares the database with the topic read from the beginning.
#       Prints committed / expected / found / lost / phantom / duplicates / reorders; exits 1 on a violation.
#       --restart true starts the killed process again three seconds later (e.g. --kill connect --restart true).
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
require_java
LAB_JAR=$ROOT/consistency-lab/target/consistency-lab.jar
[ -f "$LAB_JAR" ] || fail "the lab is not built; run ./start_all_services.sh (it builds) or mvn -DskipTests package"

command=${1:-}
[ -n "$command" ] || { sed -n '2,19p' "$0"; exit 2; }
shift
case "$command" in
  run) SPRING_PROFILES_ACTIVE=lab exec java -Ddualwrite.home="$ROOT" -cp "$LAB_JAR:$ROOT/consistency-lab/target/lib/*" dev.dualwrite.lab.LabRun "$@" ;;
  check) exec java -Ddualwrite.home="$ROOT" -cp "$LAB_JAR:$ROOT/consistency-lab/target/lib/*" dev.dualwrite.lab.PatternCheck "$@" ;;
  -h|--help) sed -n '2,19p' "$0" ;;
  *) fail "unknown command $command (try --help)" ;;
esac
