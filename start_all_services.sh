#!/usr/bin/env bash
# Starts the whole suite without Docker: PostgreSQL (wal_level=logical), a Kafka broker (KRaft), Kafka Connect with
# Debezium, then every application (two instances of each poller, the naive dual write beside the patterns) and the
# console on http://127.0.0.1:8080, and waits until each one is healthy.
# Running it again starts nothing twice. Data, logs and pid files live in ./run (or $DUALWRITE_RUN_DIR).
#
#   ./start_all_services.sh            build if needed, start everything
#   ./start_all_services.sh --build    rebuild first (after changing the code)
#   ./start_all_services.sh --infra    only PostgreSQL, Kafka and Kafka Connect (and Zipkin)
#   ./start_all_services.sh --no-tracing  without Zipkin: the applications and Connect export no spans
#   ./start_all_services.sh --lab      every application under the lab profile: the console can kill and restart
#                                      processes, and the lab's failpoints are live (never on a shared machine)
#   ./start_all_services.sh --peers    also the peers (docs/peers.md), two instances each: namastack-outbox on 8095
#                                      and 8096, Spring Modulith on 8097 and 8098
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"

build=false
scope=all
peers=
for arg in "$@"; do
  case "$arg" in
    --build) build=true ;;
    --infra) scope=infra ;;
    --no-tracing) export DUALWRITE_TRACING=off ;;
    --lab) export SPRING_PROFILES_ACTIVE=lab ;;
    --peers) peers=peers ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) fail "unknown option $arg (try --help)" ;;
  esac
done

require_java
cd "$ROOT"
# The launcher knows what the suite needs (its manifest); without the launcher itself, everything is to be built.
if [ ! -e "$LAUNCHER_JAR" ] || ! launcher missing >/dev/null; then
  build=true
fi
if $build; then
  command -v mvn >/dev/null 2>&1 || fail "Maven (mvn) is needed to build; install it (Debian: apt-get install maven)"
  mkdir -p "$RUN_DIR/logs"
  echo "building (mvn -DskipTests package) ... log: $RUN_DIR/logs/build.log"
  mvn -B -DskipTests package >"$RUN_DIR/logs/build.log" 2>&1 || fail "the build failed; read $RUN_DIR/logs/build.log"
fi

echo "starting the native stack in $RUN_DIR"
if [ "$scope" = infra ]; then launcher start infra; else launcher start $peers; fi
cat <<MSG

Everything is up. The console: http://127.0.0.1:8080   (faults from the page: start with --lab)
Try:
  curl -s localhost:8083/connector-plugins
  curl -s localhost:8081/actuator/health
  curl -s -H "Authorization: Bearer \$(cat $RUN_DIR/admin-token)" localhost:8091/actuator/health   # details: the admin token
  PGPASSWORD=dualwrite psql -h 127.0.0.1 -U dualwrite dualwrite -c 'SHOW wal_level'
MSG
if [ "${DUALWRITE_TRACING:-on}" != off ]; then
  echo "  traces: http://127.0.0.1:${ZIPKIN_PORT:-9411}/zipkin/   (one per request: README, Tracing)"
fi
cat <<MSG
Status: ./status_all_services.sh   (pid, memory, address, log of each process)
Stop:   ./stop_all_services.sh   (add --purge to delete all data)
MSG
