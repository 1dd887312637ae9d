#!/usr/bin/env bash
# The consistency lab. Needs the native stack up (./start_all_services.sh).
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
[ -n "$command" ] || { sed -n '2,10p' "$0"; exit 2; }
shift
case "$command" in
  check) exec java -Ddualwrite.home="$ROOT" -cp "$LAB_JAR:$ROOT/consistency-lab/target/lib/*" dev.dualwrite.lab.PatternCheck "$@" ;;
  -h|--help) sed -n '2,10p' "$0" ;;
  *) fail "unknown command $command (try --help)" ;;
esac
