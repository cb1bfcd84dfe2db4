import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Where one recording came from: the file in the recording project's repository, pinned. */
export interface Source {
  /** The file under `recordings/`. */
  readonly file: string;
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly licence: string;
}

export type Kind = 'chat' | 'chat.stream' | 'text_completion' | 'text_completion.stream' | 'embeddings' | 'responses' | 'responses.stream';

/** One recorded request and the live API's answer, in the corpus's one format. */
export interface Exchange {
  /** `<recording file>#<interaction>`: stable, readable in a test title. */
  readonly id: string;
  readonly kind: Kind;
  /** Who answered: `openai` (api.openai.com) or `azure` (*.openai.azure.com). */
  readonly service: 'openai' | 'azure';
  readonly source: Source & { readonly interaction: number };
  readonly request: { readonly method: string; readonly host: string; readonly path: string; readonly body: string };
  /** Status, headers in recorded order (a repeated header is repeated), body as recorded. */
  readonly response: { readonly status: number; readonly headers: readonly (readonly [string, string])[]; readonly body: string };
}

export const RECORDINGS_DIR = new URL('./recordings/', import.meta.url).pathname;
export const SOURCES_FILE = new URL('./sources.json', import.meta.url).pathname;
export const CORPUS_FILE = new URL('./corpus.json', import.meta.url).pathname;

/** Request headers are not kept: they carry keys, and the replay does not need them. */
const DROPPED_RESPONSE_HEADERS = new Set(['set-cookie']);

type Doc = Record<string, unknown>;
const obj = (v: unknown): Doc => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {});

/** A VCR cassette body: `{ string }` (text) or `{ string: !!binary }` (bytes, often gzip). */
function bodyText(body: unknown): string {
  const s = obj(body)['string'] ?? body;
  if (typeof s === 'string') return s;
  if (s instanceof Uint8Array) return Buffer.from(s).toString('utf8');
  return '';
}

function headerPairs(headers: unknown): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(obj(headers))) {
    if (DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v)]);
  }
  return out;
}

function kindOf(path: string, eventStream: boolean): Kind | undefined {
  const p = path.split('?')[0]!;
  const stream = eventStream ? '.stream' : '';
  if (p.endsWith('/chat/completions')) return eventStream ? 'chat.stream' : 'chat';
  if (p.endsWith('/completions')) return `text_completion${stream}` as Kind;
  if (p.endsWith('/embeddings')) return 'embeddings';
  if (p.endsWith('/responses')) return eventStream ? 'responses.stream' : 'responses';
  return undefined;
}

/** The exchanges of one VCR cassette (the format of vcrpy, pytest-recording and their kin). */
export function exchangesOf(source: Source, text: string): Exchange[] {
  const cassette = obj(parse(text, { schema: 'yaml-1.1' }));
  const interactions = Array.isArray(cassette['interactions']) ? cassette['interactions'] : [];
  const out: Exchange[] = [];
  interactions.forEach((raw, interaction) => {
    const request = obj(obj(raw)['request']);
    const response = obj(obj(raw)['response']);
    const url = new URL(String(request['uri']));
    const headers = headerPairs(response['headers']);
    const contentType = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
    const kind = kindOf(url.pathname, contentType.startsWith('text/event-stream'));
    if (kind === undefined) return;
    const host = url.hostname;
    out.push({
      id: `${source.file}#${interaction}`,
      kind,
      service: host.endsWith('.openai.azure.com') ? 'azure' : 'openai',
      source: { ...source, interaction },
      request: { method: String(request['method']), host, path: url.pathname + url.search, body: bodyText(request['body']) },
      response: { status: Number(obj(response['status'])['code']), headers, body: bodyText(response['body']) },
    });
  });
  return out;
}

export function readSources(): Source[] {
  return JSON.parse(readFileSync(SOURCES_FILE, 'utf8')) as Source[];
}

/** The whole corpus, built from the recordings the sources list. */
export function buildCorpus(sources: readonly Source[] = readSources()): Exchange[] {
  return sources.flatMap((source) => exchangesOf(source, readFileSync(join(RECORDINGS_DIR, source.file), 'utf8')));
}

export function readCorpus(): Exchange[] {
  return JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as Exchange[];
}

/** The corpus file's text: one exchange per line, so a diff shows which exchange changed. */
export function corpusText(corpus: readonly Exchange[]): string {
  return `[\n${corpus.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`;
}
