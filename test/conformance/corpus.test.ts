import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus, CORPUS_FILE, corpusText, readCorpus, readSources, RECORDINGS_DIR } from './normalise.ts';

describe('the conformance corpus', () => {
  it('is what the recordings give (rebuild: node scripts/conformance-corpus.ts)', () => {
    expect(readFileSync(CORPUS_FILE, 'utf8')).toBe(corpusText(buildCorpus()));
  });

  it('names, per recording, the repository, path, pinned commit and a permissive licence', () => {
    for (const source of readSources()) {
      expect(source.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.path.endsWith(source.file.split('/').pop()!)).toBe(true);
      expect(['Apache-2.0', 'MIT', 'BSD-3-Clause']).toContain(source.licence);
    }
  });

  it('holds no credentials: no Authorization, api-key or cookie, in any recording', () => {
    for (const source of readSources()) {
      const text = readFileSync(join(RECORDINGS_DIR, source.file), 'utf8');
      expect(text, source.file).not.toMatch(/^\s*(authorization|api-key|cookie|set-cookie)\s*:/im);
      expect(text, source.file).not.toMatch(/Bearer\s+\S/);
    }
  });

  it('holds at least 50 distinct exchanges recorded against the live OpenAI and Azure OpenAI APIs', () => {
    const corpus = readCorpus();
    for (const e of corpus) expect(e.request.host, e.id).toMatch(/^api\.openai\.com$|\.openai\.azure\.com$/);
    // Recorders copy cassettes between tests; a request id seen twice is one exchange, not two.
    const requestIds = corpus.map((e) => e.response.headers.find(([n]) => /^(x-request-id|apim-request-id)$/i.test(n))?.[1]);
    expect(requestIds.every((id) => id !== undefined)).toBe(true);
    expect(new Set(requestIds).size).toBe(corpus.length);
    expect(corpus.length).toBeGreaterThanOrEqual(50);
  });

  it("matches the README's count of exchanges", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`**${readCorpus().length} exchanges recorded against the live OpenAI and`);
  });
});
