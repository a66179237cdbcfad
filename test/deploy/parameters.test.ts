/** Deployment parameters: merging the generated file with saved answers, what is missing, and never a secret. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mergeParameters,
  parametersFileFor,
  parseAnswer,
  parseParametersFile,
  secretProblem,
  serializeParametersFile,
  templateParameters,
} from '../../src/deploy/parameters.js';
import { PARAMETERS_FILE, TEMPLATE_FILE, prepareDeployment } from '../../src/deploy/prepare.js';
import { ANSWERS, reference } from '../helpers/arm-server/fixture.js';
import { evaluateString } from '../helpers/arm-server/expressions.js';
import { uniqueString } from '../../src/model/unique-string.js';

const REF = reference();
const template = REF.prepared.template;
const generatedParameters = REF.generated.files.find((f) => f.path === PARAMETERS_FILE)!.content;

test('the reference design leaves the SQL administrators group and the CA certificate to ask for', () => {
  const merged = mergeParameters(template, generatedParameters, {});
  assert.deepEqual(
    merged.missing.map((p) => p.name),
    ['sqlAdminGroupName', 'sqlAdminGroupObjectId', 'internalCaCertificate'],
  );
  assert.ok(merged.missing.every((p) => p.description && p.type === 'string'));
  // The Key Vault secret ids the design derives are the parameters' defaults, made from the vault's computed name
  // (prefix + uniqueString(resourceGroup().id)) and the cloud's Key Vault suffix: nothing for the file to give.
  assert.equal('gatewayTlsSecretUri' in merged.parameters, false, 'a parameter with a default is left to it');
  assert.equal('location' in merged.parameters, false, 'a parameter with a default is left to it');
  const groupId = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-payments';
  const defaultOf = (name: string) => (template.parameters as Record<string, { defaultValue: string }>)[name]!.defaultValue;
  const evaluated = evaluateString(defaultOf('gatewayTlsSecretUri'), { subscriptionId: '00000000-1111-2222-3333-444444444444', tenantId: 't', resourceGroup: 'rg-payments', location: 'westeurope', parameters: {} });
  assert.equal(evaluated, `https://paymentskv-${uniqueString(groupId)}.vault.azure.net/secrets/gateway-tls`);
  const unanswered = prepareDeployment(REF.design, REF.generated.files, {});
  assert.equal(unanswered.input, undefined, 'nothing to deploy while parameters are missing');
  assert.equal(unanswered.merged.missing.length, 3);
});

test('saved answers fill what is missing and override generated values; unknown names are reported', () => {
  const merged = mergeParameters(template, generatedParameters, {
    ...ANSWERS,
    gatewayTlsSecretUri: 'https://payments-kv.vault.usgovcloudapi.net/secrets/gateway-tls',
    apimExists: true,
    retiredParameter: 'x',
  });
  assert.deepEqual(merged.missing, []);
  assert.equal(merged.parameters.sqlAdminGroupName?.value, 'sql-admins');
  assert.equal(merged.sources.sqlAdminGroupName, 'saved');
  assert.equal(merged.parameters.gatewayTlsSecretUri?.value, 'https://payments-kv.vault.usgovcloudapi.net/secrets/gateway-tls');
  assert.equal(merged.sources.gatewayTlsSecretUri, 'saved', 'a saved answer overrides a default');
  assert.equal(merged.parameters.apimExists?.value, true, 'a saved answer is kept here; deploy replaces apimExists with what it finds');
  assert.deepEqual(merged.unknown, ['retiredParameter']);
  assert.equal('retiredParameter' in merged.parameters, false);
  assert.ok(REF.prepared.input, 'with the answers, the deployment is ready');
  assert.deepEqual(Object.keys(REF.prepared.input.parameters).sort(), [
    'internalCaCertificate',
    'sqlAdminGroupName',
    'sqlAdminGroupObjectId',
  ]);
  assert.deepEqual(REF.prepared.template, JSON.parse(REF.generated.files.find((f) => f.path === TEMPLATE_FILE)!.content), 'the template is infra/main.json');
});

test('secrets are refused: secure types, secret names, secret-looking values', () => {
  assert.match(secretProblem('adminPassword', 'x') ?? '', /name says it is a secret/);
  assert.match(secretProblem('storageConnectionString', 'x') ?? '', /name says it is a secret/);
  assert.match(secretProblem('apiKey', 'x') ?? '', /name says it is a secret/);
  assert.match(secretProblem('anything', 'x', 'securestring') ?? '', /securestring parameter/);
  assert.match(secretProblem('blob', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc123==;') ?? '', /connection string/);
  assert.match(secretProblem('cert', '-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----') ?? '', /private key/);
  assert.match(secretProblem('auth', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl') ?? '', /JWT/);
  assert.match(secretProblem('link', 'https://a.blob.core.windows.net/c/b?sv=2022&sig=abcdefghijklmnopqrstuvwx') ?? '', /SAS/);
  assert.match(secretProblem('endpoint', 'https://user:hunter2@example.com/') ?? '', /password/);
  // Identifiers of secrets are not secrets.
  assert.equal(secretProblem('apimClientSecretUri', 'https://payments-kv.vault.azure.net/secrets/apim-client'), undefined);
  assert.equal(secretProblem('sqlAdminGroupObjectId', ANSWERS.sqlAdminGroupObjectId), undefined);
  assert.equal(secretProblem('internalCaCertificate', ANSWERS.internalCaCertificate), undefined);

  const merged = mergeParameters(template, generatedParameters, { ...ANSWERS, sqlAdminGroupName: 'Password=hunter2' });
  assert.deepEqual(merged.refused.map((r) => r.name), ['sqlAdminGroupName']);
  assert.equal('sqlAdminGroupName' in merged.parameters, false, 'a refused answer is never sent');
  assert.throws(() => serializeParametersFile({ sqlPassword: 'x' }), /parameter "sqlPassword" is not saved: its name says it is a secret/);
});

test('the parameters file: next to the design, ARM format, values only, round trip', () => {
  assert.equal(parametersFileFor('/w/payments.gatewright.yaml'), '/w/payments.gatewright.parameters.json');
  assert.equal(parametersFileFor('design.yml'), 'design.parameters.json');
  const text = serializeParametersFile({ sqlAdminGroupObjectId: ANSWERS.sqlAdminGroupObjectId, sqlAdminGroupName: 'sql-admins' }, template);
  const json = JSON.parse(text) as { $schema: string; parameters: Record<string, unknown> };
  assert.match(json.$schema, /deploymentParameters\.json#$/);
  assert.deepEqual(Object.keys(json.parameters), ['sqlAdminGroupName', 'sqlAdminGroupObjectId'], 'sorted, stable');
  assert.deepEqual(parseParametersFile(text), { values: { sqlAdminGroupName: 'sql-admins', sqlAdminGroupObjectId: ANSWERS.sqlAdminGroupObjectId }, problems: [] });
  assert.deepEqual(parseParametersFile('{"a": 1, "b": "x"}').values, { a: 1, b: 'x' }, 'a plain map is read too');
  assert.match(parseParametersFile('{"parameters": {"kv": {"reference": {"keyVault": {}}}}}').problems[0] ?? '', /Key Vault references are not kept here/);
  assert.match(parseParametersFile('{').problems[0] ?? '', /not JSON/);
});

test('answers typed by a person are checked against the parameter type and allowed values', () => {
  const p = (type: string, allowedValues?: unknown[]) => ({ name: 'p', type, hasDefault: false, ...(allowedValues ? { allowedValues } : {}) });
  assert.equal(parseAnswer(p('int'), ' 42 '), 42);
  assert.throws(() => parseAnswer(p('int'), 'forty'), /whole number/);
  assert.equal(parseAnswer(p('bool'), 'TRUE'), true);
  assert.deepEqual(parseAnswer(p('array'), '["a"]'), ['a']);
  assert.throws(() => parseAnswer(p('object'), '[1]'), /JSON object/);
  assert.throws(() => parseAnswer(p('string', ['A', 'B']), 'C'), /one of "A", "B"/);
  assert.throws(() => parseAnswer(p('string'), '  '), /needs a value/);
  assert.throws(() => parseAnswer({ name: 'dbPassword', type: 'string', hasDefault: false }, 'x'), /secret/);
  assert.deepEqual(
    templateParameters(template).filter((t) => t.hasDefault).map((t) => t.name),
    ['location', 'apimClientSecretUri', 'apimTlsSecretUri', 'apimExists', 'gatewayTlsSecretUri'],
  );
});
