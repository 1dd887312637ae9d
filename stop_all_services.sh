#!/usr/bin/env bash
# Stops exactly what start_all_services.sh started, by the pid files in ./run (never by process name).
#
#   ./stop_all_services.sh           stop; data and logs are kept for the next start
#   ./stop_all_services.sh --purge   stop, then delete ./run: databases, topics, logs
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"

purge=false
for arg in "$@"; do
  case "$arg" in
    --purge) purge=true ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) fail "unknown option $arg (try --help)" ;;
  esac
done

require_java
if [ -f "$LAUNCHER_JAR" ]; then
  echo "stopping what runs from $RUN_DIR"
  if $purge; then launcher stop --purge; else launcher stop; fi
elif $purge; then
  rm -rf "$RUN_DIR" && echo "deleted $RUN_DIR"
else
  echo "nothing to stop: the stack launcher was never built"
fi
