import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireStack, stackPrograms } from '../helpers/stack-binaries.ts';
import { repoPath } from '../helpers/stack-files.ts';

/**
 * The shipped deploy/alertmanager/alertmanager.yml as Alertmanager 0.35's own tool reads it:
 * valid, and routing each page of alerts.yml to the receiver deploy/README.md promises.
 * (test/deploy/alertmanager-config.test.ts holds Grafana's twin files equal to it, without Go.)
 */
const requirement = requireStack({ announce: false });
const run = promisify(execFile);
const CONFIG = repoPath('deploy/alertmanager/alertmanager.yml');

describe.skipIf(requirement.skip)('deploy/alertmanager/alertmanager.yml under amtool', () => {
  const amtool = (...args: string[]): Promise<{ stdout: string }> =>
    run(stackPrograms(requirement).amtool, args).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`amtool ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });

  it('passes amtool check-config: one inhibit rule, the two receivers', async () => {
    const { stdout } = await amtool('check-config', CONFIG);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toMatch(/- 1 inhibit rules/);
    expect(stdout).toMatch(/- 2 receivers/);
  });

  it.each([
    ['OpenAIInsufficientQuota', 'critical', 'openai-paging'],
    ['OpenAIRateLimited', 'critical', 'openai-paging'],
    ['OpenAIRequestsRemainingLow', 'warning', 'openai-quiet'],
    ['OpenAITokensRunningOut', 'warning', 'openai-quiet'],
  ])('routes %s (%s) to %s', async (alertname, severity, receiver) => {
    const labels = [`alertname=${alertname}`, `severity=${severity}`, 'openai_organization=org-1', 'openai_project=proj_1', 'gen_ai_request_model=gpt-4o'];
    const { stdout } = await amtool('config', 'routes', 'test', `--config.file=${CONFIG}`, ...labels);
    expect(stdout.trim()).toBe(receiver);
  });
});
