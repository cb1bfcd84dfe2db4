import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPrometheusRules } from '../helpers/alert-rules.ts';

/** What a page says: whose quota it is, and where its runbook is (deploy/prometheus/alerts.yml). */
describe('the pages of deploy/prometheus/alerts.yml', () => {
  it('page with whose quota it is: the 429 and insufficient_quota alerts name organization and project', () => {
    const grouping = (alert: string): string[][] =>
      [...(loadPrometheusRules().find((r) => r.alert === alert)?.expr.matchAll(/by \(([^)]*)\)/g) ?? [])].map((m) => m[1]!.split(/,\s*/));
    const whose = ['gen_ai_provider_name', 'server_address', 'openai_organization', 'openai_project'];
    expect(grouping('OpenAIInsufficientQuota')).toEqual([whose, whose]);
    expect(grouping('OpenAIRateLimited')).toEqual([
      [...whose, 'gen_ai_request_model'],
      [...whose, 'gen_ai_request_model'],
    ]);
  });

  it("each link a runbook_url to its own section of deploy/README.md, which says what to do", async () => {
    const readme = await readFile(fileURLToPath(new URL('../../deploy/README.md', import.meta.url)), 'utf8');
    // GitHub's heading anchors: lower case, spaces to '-', punctuation dropped.
    const anchors = new Map(
      [...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) => [m[1]!.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'), m.index]),
    );
    for (const rule of loadPrometheusRules()) {
      const url = rule.annotations['runbook_url'];
      expect(url, rule.alert).toBe(`deploy/README.md#${rule.alert.toLowerCase()}`);
      const at = anchors.get(rule.alert.toLowerCase());
      expect(at, `deploy/README.md has no "#### ${rule.alert}" section`).toBeDefined();
      const section = readme.slice(at).split(/\n#{2,4} /)[0] ?? '';
      expect(section, rule.alert).toMatch(/\*\*What to do\*\*/);
    }
  });
});
