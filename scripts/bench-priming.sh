#!/usr/bin/env bash
# First-request latency of the route function in fresh JVMs, with and without SnapStart priming,
# against DynamoDB Local (io.cato.route.FirstRequestBenchmark). Usage: scripts/bench-priming.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="${CATO_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}"
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25' || { echo "bench-priming: needs a JDK 25 (CATO_JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null || { echo "bench-priming: Apache Maven 3.8+ is required" >&2; exit 1; }

mvn -q -B ${MVN_OFFLINE:+-o} -pl functions/route -am test-compile -DskipTests >&2
mvn -q -B ${MVN_OFFLINE:+-o} -pl functions/route dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >&2
CP="functions/route/target/classes:functions/route/target/test-classes:$(cat functions/route/target/bench-classpath.txt)"
exec java --enable-native-access=ALL-UNNAMED -cp "$CP" io.cato.route.FirstRequestBenchmark "${1:-10}"
