/** The repository "Set Up Continuous Deployment" proposes, read from the workspace's git remotes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRemoteUrl, readGitRemote, remoteUrls } from '../../src/workspace/git-remote.js';
import { DeliverySchema } from '../../src/schemas/delivery.js';

test('GitHub and Azure Repos remote URLs in their https and SSH forms', () => {
  const cases: [string, ReturnType<typeof parseRemoteUrl>][] = [
    ['https://github.com/contoso/payments.git', { provider: 'github', repository: 'contoso/payments' }],
    ['https://github.com/contoso/payments', { provider: 'github', repository: 'contoso/payments' }],
    ['https://ann@github.com/contoso/payments.git', { provider: 'github', repository: 'contoso/payments' }],
    ['git@github.com:contoso/payments.git', { provider: 'github', repository: 'contoso/payments' }],
    ['ssh://git@github.com/contoso/pay.ments.git', { provider: 'github', repository: 'contoso/pay.ments' }],
    ['https://contoso@dev.azure.com/contoso/Payments%20Platform/_git/payments-infra', { provider: 'azurePipelines', repository: 'contoso/Payments Platform/payments-infra' }],
    ['https://contoso.visualstudio.com/DefaultCollection/Payments/_git/infra', { provider: 'azurePipelines', repository: 'contoso/Payments/infra' }],
    ['git@ssh.dev.azure.com:v3/contoso/Payments/infra', { provider: 'azurePipelines', repository: 'contoso/Payments/infra' }],
    ['contoso@vs-ssh.visualstudio.com:v3/contoso/Payments/infra', { provider: 'azurePipelines', repository: 'contoso/Payments/infra' }],
    ['https://gitlab.com/contoso/payments.git', undefined],
    ['/srv/git/payments.git', undefined],
  ];
  for (const [url, expected] of cases) {
    const got = parseRemoteUrl(url);
    assert.deepEqual(got, expected, url);
    // What it proposes passes the delivery section's own check of the repository.
    if (got) {
      const env = { name: 'prod', subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'rg', location: 'westeurope', ...(got.provider === 'azurePipelines' ? { serviceConnection: 'c' } : {}) };
      const r = DeliverySchema.safeParse({ provider: got.provider, repository: got.repository, environments: [env], ...(got.provider === 'azurePipelines' ? { organizationId: '00000000-1111-2222-3333-444444444444' } : {}) });
      assert.ok(r.success, `${url}: ${JSON.stringify(r.error?.issues)}`);
    }
  }
});

test('origin first, then the other remotes; other sections ignored', () => {
  const config = '[core]\n\turl = https://github.com/not/this\n[remote "upstream"]\n\turl = https://github.com/up/stream.git\n[remote "origin"]\n\turl = git@github.com:contoso/payments.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n';
  assert.deepEqual(remoteUrls(config), ['git@github.com:contoso/payments.git', 'https://github.com/up/stream.git']);
});

test('readGitRemote: the first remote on a known host; none for no repository, a link or a FIFO-free folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gatewright-remote-'));
  assert.equal(await readGitRemote(root), undefined, 'no .git');
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config'), '[remote "origin"]\n\turl = https://gitlab.com/a/b.git\n[remote "gh"]\n\turl = https://github.com/contoso/payments.git\n');
  assert.deepEqual(await readGitRemote(root), { provider: 'github', repository: 'contoso/payments' });
  const linked = mkdtempSync(join(tmpdir(), 'gatewright-remote-link-'));
  mkdirSync(join(linked, '.git'));
  symlinkSync(join(root, '.git', 'config'), join(linked, '.git', 'config'));
  assert.equal(await readGitRemote(linked), undefined, 'a config that is a symbolic link is not followed');
});
