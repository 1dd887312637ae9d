#!/usr/bin/env bash
# Shows what of the native stack runs: pid, resident memory (PSS, children included), address and log file.
set -euo pipefail
source "$(dirname "$0")/scripts/common.sh"
require_java
[ -f "$LAUNCHER_JAR" ] || fail "nothing was built yet; run ./start_all_services.sh"
launcher status
