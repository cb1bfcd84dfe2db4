// Kept by hand in step with package.json; a unit test checks they agree.
export const PACKAGE_NAME = 'opentelemetry-instrumentation-openai-http';
export const PACKAGE_VERSION = '0.1.0';
