/** How failures of Key Vault's data plane are told: as Key Vault's, with what to check, never as Resource Manager's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vaultDeployError } from '../../src/deploy/key-vault/refusals.js';

test('a vault that cannot be reached is named as Key Vault, with the usual causes, not as Resource Manager', () => {
  const unreachable = Object.assign(new Error('getaddrinfo ENOTFOUND payments-kv.vault.azure.net'), { code: 'ENOTFOUND' });
  const error = vaultDeployError(unreachable, 'Reading certificate "apim-client" of Key Vault payments-kv');
  assert.equal(error.kind, 'network');
  assert.match(error.message, /^Reading certificate "apim-client" of Key Vault payments-kv: cannot reach Key Vault \(ENOTFOUND\): getaddrinfo ENOTFOUND payments-kv\.vault\.azure\.net\./);
  assert.match(error.message, /check DNS \(a private DNS zone answers only inside its network\), the proxy/);
  assert.doesNotMatch(error.message, /Resource Manager/);
});
