// A minimal OpenTelemetry Collector with exactly the components collector-config.yaml uses:
// what `ocb` would generate from the same list, kept as a plain Go module so `go build` is all
// it takes (scripts/stack-build.sh builds it for the stack tests).
package main

import (
	"log"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/otelcol"
)

func main() {
	settings := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{
			Command:     "otelcol-openai-http",
			Description: "OpenTelemetry Collector for the openai-http-otel stack",
			Version:     collectorRelease,
		},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{
					envprovider.NewFactory(),
					fileprovider.NewFactory(),
				},
			},
		},
	}
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		log.Fatalf("collector exited with error: %v", err)
	}
}
