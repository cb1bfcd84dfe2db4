#!/usr/bin/env bash
# npm run stack:build: builds the stack's programs from their Go modules (deploy/stack/*) into
# .stack/bin: the Collector (deploy/stack/collector, exactly collector-config.yaml's
# components), Jaeger v2 (cmd/jaeger), Prometheus 3 and promtool, Alertmanager and amtool. Go's
# own module and build caches make a second run fast; a binary newer than everything in its
# module is not relinked.
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

# Names given on the command line (otelcol-openai-http, jaeger, prometheus, promtool, alertmanager,
# amtool): only those.
wanted=" $* "

# wants NAME: asked for on the command line, or nothing was.
wants() {
  [ "$wanted" = "  " ] || [[ $wanted == *" $1 "* ]]
}

# up_to_date NAME MODULE_DIR: built, and newer than everything in its module directory.
up_to_date() {
  [ -x "$bin/$1" ] && [ -z "$(find "$root/deploy/stack/$2" -newer "$bin/$1" -print -quit)" ]
}

# build NAME MODULE_DIR PACKAGE [go build flags...]
build() {
  local name=$1 dir=$root/deploy/stack/$2 pkg=$3
  if ! wants "$name"; then return; fi
  if up_to_date "$name" "$2"; then
    echo "stack:build: $name up to date"
    return
  fi
  shift 3
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

# The version of a module a deploy/stack/ module requires: module_version DIR MODULE.
module_version() {
  (cd "$root/deploy/stack/$1" && go list -m -f '{{.Version}}' "$2")
}

# The Prometheus module's version and the Prometheus release it is (v0.316.0 -> 3.16.0).
prometheus_release() {
  module_version prometheus github.com/prometheus/prometheus | sed -E 's/^v0\.([0-9]+)([0-9]{2})\.([0-9]+)$/\1.\2.\3/; s/^v0\.([0-9])([0-9]{2})\.([0-9]+)$/\1.\2.\3/'
}

build otelcol-openai-http collector .
build jaeger jaeger github.com/jaegertracing/jaeger/cmd/jaeger
# remove_all_sd drops every service-discovery plugin (cloud SDKs, Kubernetes): the stack only
# uses static targets, and those SDKs are most of the build time.
prom_version_flag="-X github.com/prometheus/common/version.Version=$(prometheus_release)"
build prometheus prometheus github.com/prometheus/prometheus/cmd/prometheus -tags=remove_all_sd -ldflags="-s -w $prom_version_flag"
build promtool prometheus github.com/prometheus/prometheus/cmd/promtool -tags=remove_all_sd -ldflags="-s -w $prom_version_flag"
# Alertmanager's module versions are its releases (v0.35.0 is Alertmanager 0.35.0); the same
# version stamp as Prometheus, so `alertmanager --version` and its build_info metric say it.
# Its web UI is built with npm and Elm into ui/app/dist, which the Go module does not carry
# (releases ship it as a separate tarball), and ui/web.go embeds that directory, so the module
# as downloaded does not compile. A copy of it (6.5 MB) gets one page there,
# deploy/stack/alertmanager/ui/index.html ("no UI here, this is the API"), gzipped as the UI's
# build leaves it, and a go.mod beside the module's replaces the module with that copy. The
# API, routing, grouping, inhibition and amtool are the release's code, unchanged.
alertmanager_modfile() {
  local dir=$root/deploy/stack/alertmanager out=$bin/.alertmanager module ui
  module=$(cd "$dir" && go mod download github.com/prometheus/alertmanager && go list -m -f '{{.Dir}}' github.com/prometheus/alertmanager)
  rm -rf "$out" && mkdir -p "$out"
  cp -R "$module" "$out/src" && chmod -R u+w "$out/src"
  for ui in elm mantine; do
    mkdir -p "$out/src/ui/app/dist/$ui"
    gzip -9 -n -c "$dir/ui/index.html" > "$out/src/ui/app/dist/$ui/index.html.gz"
  done
  cp "$dir/go.mod" "$dir/go.sum" "$out/"
  go mod edit -replace="github.com/prometheus/alertmanager=$out/src" "$out/go.mod"
  echo "$out/go.mod"
}
if { wants alertmanager && ! up_to_date alertmanager alertmanager; } || { wants amtool && ! up_to_date amtool alertmanager; }; then
  am_version_flag="-X github.com/prometheus/common/version.Version=$(module_version alertmanager github.com/prometheus/alertmanager | sed 's/^v//')"
  am_modfile=$(alertmanager_modfile)
  build alertmanager alertmanager github.com/prometheus/alertmanager/cmd/alertmanager -modfile="$am_modfile" -ldflags="-s -w $am_version_flag"
  build amtool alertmanager github.com/prometheus/alertmanager/cmd/amtool -modfile="$am_modfile" -ldflags="-s -w $am_version_flag"
else
  # Both up to date, or not asked for: build says which.
  build alertmanager alertmanager -
  build amtool alertmanager -
fi
