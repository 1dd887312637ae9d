# Shared by start_all_services.sh and stop_all_services.sh: where things are, Java checks, the launcher command.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${DUALWRITE_RUN_DIR:-$ROOT/run}
LAUNCHER_JAR=$ROOT/native-stack/stack-launcher/target/stack-launcher.jar

fail() {
  echo "error: $*" >&2
  exit 1
}

require_java() {
  command -v java >/dev/null 2>&1 || fail "java is not on the PATH; install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)"
  local version
  version=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  [ "${version%%.*}" -ge 17 ] 2>/dev/null || fail "java $version is too old; JDK 17 or newer is required (found $(command -v java))"
}

launcher() {
  java -Ddualwrite.home="$ROOT" -cp "$LAUNCHER_JAR:$ROOT/native-stack/stack-launcher/target/lib/*" \
    dev.dualwrite.stack.StackCommand "$@"
}
