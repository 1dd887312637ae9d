#!/usr/bin/env bash
# The log-tailing connector of register-postgres.json, against the running native stack:
#
#   debezium/connector.sh register   create or update it (idempotent: PUT /connectors/<name>/config) and wait for RUNNING
#   debezium/connector.sh status     the worker's status of the connector and its task
#   debezium/connector.sh delete     delete it, then drop its replication slot and publication (or the slot keeps WAL)
#
# The seed's way works too: curl -X POST http://localhost:8083/connectors -H "Content-Type: application/json" \
#                                -d @debezium/register-postgres.json
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"
require_java
[ -f "$LAUNCHER_JAR" ] || fail "nothing was built yet; run ./start_all_services.sh"
case "${1:-status}" in
  register|status|delete) launcher connector "${1:-status}" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
