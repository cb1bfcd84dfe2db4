import { describe } from 'vitest';
import { readCorpus } from './normalise.ts';
import { replayCorpus, sendWithFetch } from './replay.ts';

describe('recorded live traffic, replayed through global fetch', () => {
  replayCorpus(readCorpus(), sendWithFetch);
});
