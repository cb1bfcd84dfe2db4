/**
 * The instrumentation under test. By default the built package, through its own name (what
 * users install; `npm run bench` builds it first). `BENCH_LIB=src` loads the TypeScript
 * sources instead, so the smoke test needs no build; the code is the same either way
 * (type stripping only blanks out types). Any other value is taken as the path of an index
 * module, to compare an experimental copy of src/ against the real one.
 */
type Library = typeof import('../src/index.ts');

export async function loadLibrary(lib = process.env['BENCH_LIB']): Promise<Library> {
  // Any other value is a path to an index module: a copy of src/ for trying a change out.
  const specifier = lib === undefined || lib === '' ? 'opentelemetry-instrumentation-openai-http' : lib === 'src' ? '../src/index.ts' : lib;
  return (await import(specifier)) as Library;
}
