#!/usr/bin/env bash
# Runs the WebhookProcessor performance benchmark (see docs/benchmarks.md) and prints its markdown summary.
#
#   bash tests/WebhookProcessor.Benchmarks/run.sh            # the full run: about 5 minutes
#   bash tests/WebhookProcessor.Benchmarks/run.sh --quick    # a short smoke run
#   bash tests/WebhookProcessor.Benchmarks/run.sh --help     # every option
#   bash tests/WebhookProcessor.Benchmarks/run.sh tables     # the worker on the Table stores against Azurite:
#                                                            # events/s and storage operations per event
#   bash tests/WebhookProcessor.Benchmarks/run.sh reconcile  # reconciliation: 20 accounts x 2,000 templates
#                                                            # against a fake Graph API, into SQLite
#   bash tests/WebhookProcessor.Benchmarks/run.sh telemetry  # ingest and worker with telemetry off vs on
#                                                            # (OTLP to a loopback sink), in rounds
#
# Installs wrk (Debian package) when it is missing, builds in Release, then runs the benchmark program,
# which starts the servers on 127.0.0.1 only and stops them before it exits.
# Exit code: 0 every target met, 1 a target missed, 2 the run itself was not valid.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

if [[ "${1:-}" == "tables" ]]; then
  # Azurite from tests/tools, as the integration tests install it.
  if [[ ! -x tests/tools/node_modules/.bin/azurite-table ]]; then
    if ! command -v npm >/dev/null 2>&1; then
      sudo=""
      if [[ "$(id -u)" != "0" ]]; then sudo="sudo"; fi
      $sudo apt-get update >&2
      $sudo apt-get install -y nodejs npm >&2
    fi
    npm ci --prefix tests/tools >&2
  fi
elif [[ "${1:-}" == "reconcile" ]]; then
  : # needs nothing beyond the SDK: the fake Graph API runs inside the benchmark
elif ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  if [[ "$(id -u)" != "0" ]]; then sudo="sudo"; fi
  echo "run.sh: installing wrk" >&2
  if ! $sudo apt-get install -y wrk >&2; then
    $sudo apt-get update >&2
    $sudo apt-get install -y wrk >&2
  fi
fi

# Someone else building at the same time can hold a file for a moment: retry such a build.
for attempt in 1 2 3; do
  if dotnet build tests/WebhookProcessor.Benchmarks/WebhookProcessor.Benchmarks.csproj -c Release -nologo -v quiet >&2; then
    break
  fi
  if [[ "$attempt" == "3" ]]; then
    echo "run.sh: the Release build failed" >&2
    exit 2
  fi
  echo "run.sh: build failed (attempt $attempt), retrying" >&2
  sleep 5
done

exec dotnet tests/WebhookProcessor.Benchmarks/bin/Release/net10.0/WebhookProcessor.Benchmarks.dll "$@"
