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

  it('came from the live OpenAI and Azure OpenAI APIs', () => {
    for (const e of readCorpus()) expect(e.request.host, e.id).toMatch(/^api\.openai\.com$|\.openai\.azure\.com$/);
  });
});
