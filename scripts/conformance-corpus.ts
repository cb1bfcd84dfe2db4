// Rebuilds test/conformance/corpus.json from the recordings test/conformance/sources.json lists.
//   node scripts/conformance-corpus.ts           write the corpus
//   node scripts/conformance-corpus.ts --check   exit 1 when the corpus is not what the recordings give
import { readFileSync, writeFileSync } from 'node:fs';
import { buildCorpus, CORPUS_FILE, corpusText } from '../test/conformance/normalise.ts';

const corpus = buildCorpus();
const text = corpusText(corpus);
if (process.argv.includes('--check')) {
  const current = readFileSync(CORPUS_FILE, 'utf8');
  if (current !== text) {
    console.error(`${CORPUS_FILE} is out of date: run node scripts/conformance-corpus.ts`);
    process.exit(1);
  }
} else {
  writeFileSync(CORPUS_FILE, text);
}
const kinds = new Map<string, number>();
for (const e of corpus) kinds.set(`${e.service} ${e.kind}${e.response.status >= 400 ? ' error' : ''}`, (kinds.get(`${e.service} ${e.kind}${e.response.status >= 400 ? ' error' : ''}`) ?? 0) + 1);
console.log(`${corpus.length} exchanges: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
