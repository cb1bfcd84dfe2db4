import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadPrometheusRules } from '../helpers/alert-rules.ts';
import { assertFound, requireTool } from '../helpers/prometheus.ts';
import { loadYaml, readRepoFile, repoPath, tree } from '../helpers/stack-files.ts';
import { list } from '../helpers/tree.ts';

const run = promisify(execFile);
const promtool = requireTool('promtool');

describe('deploy/prometheus/prometheus.yml (compose)', () => {
  it.skipIf(promtool.skip)('passes promtool check config, with the alert rules it loads', async () => {
    // In compose the rules are mounted at /etc/prometheus/alerts.yml; here they are in the repo.
    const dir = await mkdtemp(path.join(tmpdir(), 'prometheus-config-'));
    try {
      const file = path.join(dir, 'prometheus.yml');
      await writeFile(file, readRepoFile('deploy/prometheus/prometheus.yml').replace('/etc/prometheus/alerts.yml', repoPath('deploy/prometheus/alerts.yml')));
      const { stdout } = await run(assertFound(promtool), ['check', 'config', file]).catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`promtool check config failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      });
      expect(stdout).toContain('is valid prometheus config file syntax');
      expect(stdout).toContain(`SUCCESS: ${loadPrometheusRules().length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("scrapes as often as Grafana's datasource assumes when it sizes $__rate_interval", () => {
    const global = tree(tree(loadYaml('deploy/prometheus/prometheus.yml'), 'prometheus.yml')['global'], 'global');
    const datasources = list(tree(loadYaml('deploy/grafana/provisioning/datasources/datasources.yaml'), 'datasources.yaml')['datasources'], 'datasources');
    const prometheus = tree(datasources.find((d) => tree(d, 'datasource')['type'] === 'prometheus'), 'prometheus datasource');
    expect(tree(prometheus['jsonData'], 'jsonData')['timeInterval']).toBe(global['scrape_interval']);
  });
});
