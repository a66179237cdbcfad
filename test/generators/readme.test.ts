/**
 * The generated README (src/generators/readme.ts) read as a user reads it, checked against the generated ARM JSON and
 * parameters file rather than the design: every parameter without a default has a value or a stated source, the
 * manual path creates the vault and imports the certificates before the template, and every subscription-required
 * API names the product a key comes from, with a command that reads the key of each subscription the template creates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate, type Generated } from '../../src/generators/generate.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { designOf } from './builders.helpers.js';

interface ArmJson {
  parameters: Record<string, { defaultValue?: unknown }>;
  resources: Array<{ type: string; name: string }>;
}

function file(g: Generated, path: string): string {
  const f = g.files.find((x) => x.path === path);
  assert.ok(f, `${path} is generated`);
  return f.content;
}

/** The rows of the README's table of parameters to set: name -> [what, where to get it]. */
function parameterRows(readme: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const m of readme.matchAll(/^ {3}\| `([A-Za-z0-9]+)` \| (.+?) \| (.+) \|$/gm)) rows.set(m[1]!, [m[2]!, m[3]!]);
  return rows;
}

function checkParametersCovered(g: Generated): { inFile: string[]; toSet: string[] } {
  const arm = JSON.parse(file(g, 'infra/main.json')) as ArmJson;
  const given = Object.keys((JSON.parse(file(g, 'infra/main.parameters.json')) as { parameters: object }).parameters);
  const rows = parameterRows(file(g, 'README.md'));
  const inFile: string[] = [];
  const toSet: string[] = [];
  for (const [name, p] of Object.entries(arm.parameters)) {
    if (p.defaultValue !== undefined) continue;
    if (given.includes(name)) {
      inFile.push(name);
      assert.ok(!rows.has(name), `${name} is in the parameters file and also listed as one to set`);
      continue;
    }
    const row = rows.get(name);
    assert.ok(row, `${name} has no default, is not in the parameters file, and the README does not say where to get it`);
    assert.ok(row[1].length > 20, `${name}: the README gives no source: ${row[1]}`);
    toSet.push(name);
  }
  return { inFile, toSet };
}

test('README: every parameter without a default is in the parameters file or listed with where to get it', () => {
  const g = generate(designOf(REFERENCE));
  const { inFile, toSet } = checkParametersCovered(g);
  // The secret identifiers name a vault whose name ends with uniqueString(resourceGroup().id): their defaults compute it.
  assert.deepEqual(inFile.sort(), []);
  assert.deepEqual(toSet.sort(), ['internalCaCertificate', 'sqlAdminGroupName', 'sqlAdminGroupObjectId']);
  const rows = parameterRows(file(g, 'README.md'));
  assert.match(rows.get('sqlAdminGroupObjectId')![1], /az ad group show/);
  assert.match(rows.get('internalCaCertificate')![1], /openssl x509/);
});

test('README: a CA certificate the design gives a file for goes into the parameters file, not the list', () => {
  const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from('a public CA certificate, DER bytes stand-in').toString('base64')}\n-----END CERTIFICATE-----\n`;
  const g = generate(designOf(REFERENCE), { caPems: new Map([['internal-ca', pem]]) });
  const { inFile, toSet } = checkParametersCovered(g);
  assert.ok(inFile.includes('internalCaCertificate'));
  assert.ok(!toSet.includes('internalCaCertificate'));
});

test('README: the first deployment creates the vault and imports the certificates before the template, or uses gatewright deploy', () => {
  const readme = file(generate(designOf(REFERENCE)), 'README.md');
  assert.match(readme, /gatewright deploy <design file> --subscription <Azure subscription id> --resource-group <resource group>/);
  const create = readme.indexOf('az keyvault create');
  const importing = readme.indexOf('az keyvault certificate import');
  // The template's deployment (the suffix template of the names paragraph deploys nothing and may come first).
  const deploying = readme.search(/az deployment group create +--resource-group <resource group> --template-file infra\/main\.json/);
  assert.ok(create > 0 && importing > create && deploying > importing, 'vault, then certificates, then the template');
  // The vault is created with the settings the template gives it, so that the template's deployment keeps it.
  assert.match(readme, /az keyvault create .*--name paymentskv-<suffix> \\\n {5}--enable-rbac-authorization true --retention-days 90 --enable-purge-protection true/);
});

test('README: each subscription-required API names its product, and each subscription of the template has a key command', () => {
  const text = mutateReference((d) =>
    setAt(d, ['nodes', 'apim', 'properties', 'products'], [{ name: 'partners', apis: ['orders'], subscriptions: ['contoso', 'fabrikam'] }]),
  );
  for (const design of [REFERENCE, text]) {
    const g = generate(designOf(design));
    const readme = file(g, 'README.md');
    const arm = JSON.parse(file(g, 'infra/main.json')) as ArmJson;
    const subscriptions = arm.resources.filter((r) => r.type === 'Microsoft.ApiManagement/service/subscriptions').map((r) => (r.name.startsWith('[') ? /\/([^/']+)'/.exec(r.name)![1]! : r.name.split('/').pop()!));
    assert.ok(subscriptions.length > 0, 'the template creates a subscription');
    for (const s of subscriptions) {
      assert.ok(readme.includes(`/service/payments-apim-<suffix>/subscriptions/${s}/listSecrets?api-version=2024-05-01`), `the README reads the key of ${s}`);
    }
    const products = arm.resources.filter((r) => r.type === 'Microsoft.ApiManagement/service/products').map((r) => (r.name.startsWith('[') ? /\/([^/']+)'/.exec(r.name)![1]! : r.name.split('/').pop()!));
    const row = /^\| orders \| `https:\/\/api\.contoso\.com\/orders` \| product `([^`]+)` \|$/m.exec(readme);
    assert.ok(row, 'the orders API row names a product');
    assert.ok(products.includes(row[1]!), `the product ${row[1]} exists in the template`);
    assert.match(readme, /Ocp-Apim-Subscription-Key/);
  }
});
