#!/usr/bin/env bash
# npm run stack:build: builds the stack's programs from their Go modules (deploy/stack/*) into
# .stack/bin: the Collector (deploy/stack/collector, exactly collector-config.yaml's
# components), Jaeger v2 (cmd/jaeger), Prometheus 3 and promtool. Go's own module and build
# caches make a second run fast; a binary newer than everything in its module is not relinked.
# STACK_BIN_DIR overrides the output directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${STACK_BIN_DIR:-$root/.stack/bin}

# --if-go (npm test): without Go, or when the build fails, say so and succeed: the stack tests
# then skip (with one line on how to build) outside CI, and fail in CI.
if_go=false
if [ "${1:-}" = --if-go ]; then
  if_go=true
  shift
  if ! command -v go >/dev/null 2>&1; then exit 0; fi
fi

if ! command -v go >/dev/null 2>&1; then
  echo 'stack:build: Go is not installed (or not on PATH). The stack tests need Go >= 1.26 to build the Collector, Jaeger and Prometheus: https://go.dev/doc/install' >&2
  exit 127
fi
mkdir -p "$bin"

# Names given on the command line (otelcol-openai-http, jaeger, prometheus, promtool): only those.
wanted=" $* "

# build NAME MODULE_DIR PACKAGE [go build flags...]
build() {
  local name=$1 dir=$root/deploy/stack/$2 pkg=$3
  shift 3
  if [ "$wanted" != "  " ] && [[ $wanted != *" $name "* ]]; then return; fi
  if [ -x "$bin/$name" ] && [ -z "$(find "$dir" -newer "$bin/$name" -print -quit)" ]; then
    echo "stack:build: $name up to date"
    return
  fi
  local started=$SECONDS
  echo "stack:build: building $name ($pkg)"
  # -trimpath and no VCS stamping: the same inputs give the same binary on every machine.
  if ! (cd "$dir" && go build -trimpath -buildvcs=false -ldflags='-s -w' "$@" -o "$bin/$name.tmp" "$pkg"); then
    rm -f "$bin/$name.tmp"
    if $if_go; then
      echo "stack:build: building $name FAILED; the stack tests will skip (run npm run stack:build to see why)" >&2
      return
    fi
    exit 1
  fi
  mv "$bin/$name.tmp" "$bin/$name"
  echo "stack:build: $name built in $((SECONDS - started)) s"
}

# The Prometheus module's version and the Prometheus release it is (v0.316.0 -> 3.16.0).
prometheus_release() {
  (cd "$root/deploy/stack/prometheus" && go list -m -f '{{.Version}}' github.com/prometheus/prometheus) | sed -E 's/^v0\.([0-9]+)([0-9]{2})\.([0-9]+)$/\1.\2.\3/; s/^v0\.([0-9])([0-9]{2})\.([0-9]+)$/\1.\2.\3/'
}

build otelcol-openai-http collector .
build jaeger jaeger github.com/jaegertracing/jaeger/cmd/jaeger
# remove_all_sd drops every service-discovery plugin (cloud SDKs, Kubernetes): the stack only
# uses static targets, and those SDKs are most of the build time.
prom_version_flag="-X github.com/prometheus/common/version.Version=$(prometheus_release)"
build prometheus prometheus github.com/prometheus/prometheus/cmd/prometheus -tags=remove_all_sd -ldflags="-s -w $prom_version_flag"
build promtool prometheus github.com/prometheus/prometheus/cmd/promtool -tags=remove_all_sd -ldflags="-s -w $prom_version_flag"
