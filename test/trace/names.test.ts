/** How the trace reads names written as expressions: the README's `<prefix><suffix>` form, or not at all. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readName, readResourceId } from '../../src/trace/names.js';

test('a uniquely named resource and its children read as <prefix><suffix>; other expressions are not read', () => {
  assert.equal(readName("[format('{0}/orders', format('payments-apim-{0}', uniqueString(resourceGroup().id)))]"), 'payments-apim-<suffix>/orders');
  assert.equal(readName("[concat('paymentsacr', uniqueString(resourceGroup().id))]"), 'paymentsacr<suffix>');
  assert.equal(readName("[format('https://paymentskv-{0}{1}/secrets/apim-tls', uniqueString(resourceGroup().id), environment().suffixes.keyvaultDns)]"), 'https://paymentskv-<suffix><keyvaultDns>/secrets/apim-tls');
  assert.equal(readName('payments-aks'), 'payments-aks');
  assert.equal(readName("[[literal]"), '[literal]');
  // uniqueString of anything but the resource group's id, or a runtime value, is not guessed.
  assert.equal(readName("[format('kv-{0}', uniqueString(subscription().id))]"), undefined);
  assert.equal(readName("[reference('x').name]"), undefined);
  assert.deepEqual(readResourceId("[resourceId('Microsoft.ApiManagement/service/apis', format('payments-apim-{0}', uniqueString(resourceGroup().id)), 'orders')]"), {
    type: 'Microsoft.ApiManagement/service/apis',
    segments: ['payments-apim-<suffix>', 'orders'],
  });
  assert.equal(readResourceId("[resourceId('Microsoft.KeyVault/vaults', parameters('vault'))]"), undefined);
});
