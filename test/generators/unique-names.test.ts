/**
 * What the deploy side and a user deploying by hand need of the globally unique names: an output `<id>Name` per
 * derived name (distinct even when two node ids give one identifier), holding the name Resource Manager computes;
 * the READMEs say where `<suffix>` appears and how to learn it, and the suffix template the README gives compiles and
 * computes the same suffix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/generators/generate.js';
import { buildAzureDeployment } from '../../src/generators/azure/index.js';
import { renderArm } from '../../src/generators/ir/arm.js';
import { uniqueNameOutputs } from '../../src/generators/naming.js';
import { resolvedName, resourceName } from '../../src/model/naming.js';
import { uniqueString } from '../../src/model/unique-string.js';
import type { Design } from '../../src/schemas/design.js';
import { append, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { designOf } from './builders.helpers.js';
import { compileBicepFiles, formatDiagnostics } from '../helpers/bicep.js';
import { evaluateString } from '../helpers/arm-server/expressions.js';

const GROUP = { subscriptionId: '11111111-2222-3333-4444-555555555555', tenantId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg-payments-prod', location: 'westeurope', parameters: {} };
const GROUP_ID = `/subscriptions/${GROUP.subscriptionId}/resourceGroups/${GROUP.resourceGroup}`;

function outputsOf(design: Design): Record<string, { type: string; value: string }> {
  const json = JSON.parse(renderArm(buildAzureDeployment(design).template, { name: 'gatewright', version: '0.1.0' })) as { outputs: Record<string, { type: string; value: string }> };
  return json.outputs;
}

test('every derived globally unique name has an output <id>Name holding the name Resource Manager computes', () => {
  const design = designOf(REFERENCE);
  const outputs = outputsOf(design);
  const expected = new Map([
    ['apim', 'apimName'],
    ['acr', 'acrName'],
    ['sql', 'sqlName'],
    ['cosmos', 'cosmosName'],
    ['kv', 'kvName'],
  ]);
  assert.deepEqual(new Map(uniqueNameOutputs(design)), expected);
  for (const [id, output] of expected) {
    const node = design.nodes.find((n) => n.id === id)!;
    assert.ok(outputs[output], `no output ${output}`);
    assert.equal(outputs[output]!.type, 'string');
    // The value is the name in this resource group: the readable prefix and uniqueString(resourceGroup().id).
    assert.equal(evaluateString(outputs[output]!.value, GROUP), resolvedName(resourceName(design.metadata.name, node), GROUP_ID), output);
  }
  assert.equal(evaluateString(outputs.kvName!.value, GROUP), `paymentskv-${uniqueString(GROUP_ID)}`);
});

test('a name given in the design has no name output (it is known already); two ids of one identifier get two outputs', () => {
  const named = designOf(mutateReference((d) => setAt(d, ['nodes', 'kv', 'name'], 'contoso-payments-prod-kv')));
  assert.equal(outputsOf(named).kvName, undefined);
  assert.ok(!uniqueNameOutputs(named).has('kv'));

  const twins = designOf(
    mutateReference((d) => {
      append(d, 'nodes', { id: 'vault-1', type: 'keyVault' });
      append(d, 'nodes', { id: 'vault1', type: 'keyVault' });
    }),
  );
  const names = uniqueNameOutputs(twins);
  assert.equal(names.get('vault-1'), 'vault1Name');
  assert.equal(names.get('vault1'), 'vault1Name2');
  const outputs = outputsOf(twins);
  assert.equal(evaluateString(outputs.vault1Name!.value, GROUP), resolvedName(resourceName('payments', { id: 'vault-1', type: 'keyVault' } as Design['nodes'][number]), GROUP_ID));
  assert.equal(evaluateString(outputs.vault1Name2!.value, GROUP), resolvedName(resourceName('payments', { id: 'vault1', type: 'keyVault' } as Design['nodes'][number]), GROUP_ID));
});

test('the READMEs say where <suffix> is, which outputs hold the names, and how to learn the suffix by hand', () => {
  const files = generate(designOf(REFERENCE)).files;
  const readme = files.find((f) => f.path === 'README.md')!.content;
  assert.ok(readme.includes('`apimName`, `acrName`, `sqlName`, `cosmosName`, `kvName` hold them'), 'the README names the outputs');
  assert.ok(readme.includes('with `--what-if` it prints them and changes nothing'));

  // The Kubernetes manifests show the vault's name with <suffix>; k8s/README.md makes replacing it a step.
  const ingress = files.find((f) => f.path === 'k8s/aks/orders/orders-ingress.yaml')!.content;
  assert.ok(ingress.includes('https://paymentskv-<suffix>.vault.azure.net/certificates/ingress-tls'));
  const k8sReadme = files.find((f) => f.path === 'k8s/README.md')!.content;
  assert.match(k8sReadme, /^\d+\. Replace `paymentskv-<suffix>` in `orders\/orders-ingress\.yaml` with the name of "kv" in your resource group: the deployment output `kvName` /m);
  assert.ok(k8sReadme.includes('`gatewright deploy` does this itself'));

  // A vault named in the design is written as it is: no step.
  const named = generate(designOf(mutateReference((d) => setAt(d, ['nodes', 'kv', 'name'], 'contoso-payments-prod-kv')))).files;
  assert.ok(named.find((f) => f.path === 'k8s/aks/orders/orders-ingress.yaml')!.content.includes('https://contoso-payments-prod-kv.vault.azure.net/'));
  assert.doesNotMatch(named.find((f) => f.path === 'k8s/README.md')!.content, /<suffix>/);
});

test('the suffix template the README gives compiles cleanly and computes the suffix of the resource group', () => {
  const readme = generate(designOf(REFERENCE)).files.find((f) => f.path === 'README.md')!.content;
  const m = /put `(output suffix string = [^`]+)` in a file `suffix\.bicep`/.exec(readme);
  assert.ok(m, 'the README gives no suffix template');
  const build = compileBicepFiles([{ path: 'suffix.bicep', content: `${m[1]}\n` }], 'suffix.bicep');
  const problems = build.diagnostics.filter((d) => d.level === 'Error' || d.level === 'Warning');
  assert.deepEqual(problems, [], formatDiagnostics(problems));
  const value = build.json?.outputs?.suffix?.value;
  assert.equal(typeof value, 'string');
  assert.equal(evaluateString(value as string, GROUP), uniqueString(GROUP_ID));
  assert.ok(readme.includes('--template-file suffix.bicep --query properties.outputs.suffix.value -o tsv'));
});
