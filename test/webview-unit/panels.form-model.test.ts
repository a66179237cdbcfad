/**
 * The Inspector's form model (src/webview/panels/form-model.ts): forms derived from the zod schemas for
 * every node and edge type and for certificates, client-side validation, element paths, and the edit
 * operations a change sends (applied for real to the reference design with the document layer).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiSchema,
  CertificateSchema,
  EDGE_PROPERTY_SCHEMAS,
  EDGE_TYPES,
  MetadataSchema,
  NODE_PROPERTY_SCHEMAS,
  NODE_TYPES,
  ServiceSchema,
  edgeId,
  type Design,
} from '../../src/schemas/design.js';
import { EditOperationSchema, type EditOperation } from '../../src/schemas/operations.js';
import type { Finding } from '../../src/schemas/finding.js';
import { parseDesign } from '../../src/document/parse.js';
import { applyOperations } from '../../src/document/edits/index.js';
import {
  addItemOps,
  certificateFormModel,
  changeOps,
  commonType,
  edgeFormModel,
  editTarget,
  elementPath,
  emptyChoiceLabel,
  findElement,
  findingsOn,
  humanize,
  isDefault,
  metadataFormModel,
  newListItem,
  nodeFormModel,
  parseFieldText,
  pathKey,
  referenceChoices,
  referenceOptions,
  relativePath,
  removeItemOps,
  renameRecordKeyOps,
  resetOps,
  toggleOption,
  valueAt,
  type Field,
  type ObjectListField,
} from '../../src/webview/panels/form-model.js';
import { REFERENCE } from '../helpers/reference.js';

function design(text = REFERENCE): Design {
  const parsed = parseDesign(text);
  assert.ok(parsed.design && parsed.complete, 'the text satisfies the schema');
  return parsed.design;
}

const REF = design();

function field(fields: readonly Field[], ...path: (string | number)[]): Field {
  const key = pathKey(path);
  const walk = (list: readonly Field[]): Field | undefined => {
    for (const f of list) {
      if (pathKey(f.path) === key) return f;
      if (f.kind === 'object') {
        const found = walk(f.fields);
        if (found) return found;
      }
    }
    return undefined;
  };
  const found = walk(fields);
  assert.ok(found, `field ${key}`);
  return found;
}

/** Applies operations to a design text and reads the result back; the text must stay schema-valid. */
function apply(ops: EditOperation[], text = REFERENCE): Design {
  for (const op of ops) assert.ok(EditOperationSchema.safeParse(op).success, `valid operation ${JSON.stringify(op)}`);
  const result = applyOperations(text, ops);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return design(result.text);
}

function shapeKeys(schema: unknown): string[] {
  return Object.keys((schema as { shape: Record<string, unknown> }).shape);
}

// ---------------------------------------------------------------- forms from the schemas

test('every node type has a form: id, name and label, then every property of its schema', () => {
  for (const type of NODE_TYPES) {
    const model = nodeFormModel(type);
    assert.deepEqual(
      model.general.map((f) => f.key),
      ['id', 'name', 'label'],
      type,
    );
    assert.deepEqual(
      model.properties.map((f) => f.key),
      shapeKeys(NODE_PROPERTY_SCHEMAS[type]),
      `${type}: no property is left out`,
    );
    const parsedDefaults = NODE_PROPERTY_SCHEMAS[type].parse({}) as Record<string, unknown>;
    for (const f of model.properties) {
      assert.deepEqual(f.path, ['properties', f.key], `${type}.${f.key} path`);
      assert.ok(f.label.length > 0);
      if (f.hasDefault && f.kind !== 'object') assert.deepEqual(f.default, parsedDefaults[f.key], `${type}.${f.key} default`);
      if (!f.hasDefault) assert.equal(parsedDefaults[f.key], undefined, `${type}.${f.key} has no default`);
    }
  }
  const id = field(nodeFormModel('apiManagement').general, 'id');
  assert.equal(id.kind, 'string');
  assert.equal(id.required, true);
  assert.ok(id.kind === 'string' && id.pattern && id.patternMessage?.includes('lower-case letter'));
});

test('every edge type has a form with every property of its schema', () => {
  for (const type of EDGE_TYPES) {
    const model = edgeFormModel(type);
    assert.deepEqual(model.general, []);
    assert.deepEqual(
      model.properties.map((f) => f.key),
      shapeKeys(EDGE_PROPERTY_SCHEMAS[type]),
      type,
    );
  }
  const client = field(edgeFormModel('mtls').properties, 'properties', 'clientCertificate');
  assert.equal(client.required, true);
  assert.deepEqual(client.kind === 'string' && client.ref, { to: 'certificate', role: 'client' });
  const identity = field(edgeFormModel('privateLink').properties, 'properties', 'identity');
  assert.deepEqual(identity.kind === 'string' && identity.ref, { to: 'node', nodeType: 'managedIdentity' });
});

test('certificates and metadata have forms with every field of their schemas', () => {
  const cert = certificateFormModel();
  assert.deepEqual(
    cert.general.map((f) => f.key),
    shapeKeys(CertificateSchema),
  );
  assert.deepEqual(
    metadataFormModel().general.map((f) => f.key),
    shapeKeys(MetadataSchema),
  );
  const role = field(cert.general, 'role');
  assert.equal(role.kind, 'enum');
  assert.deepEqual(role.kind === 'enum' && role.options, ['ca', 'server', 'client']);
  assert.equal(role.required, true);
  const issuer = field(cert.general, 'issuer');
  assert.deepEqual(issuer.kind === 'string' && issuer.ref, { to: 'issuer' });
  assert.equal(issuer.default, 'self');
  assert.deepEqual(field(cert.general, 'keyVault').kind === 'string' && (field(cert.general, 'keyVault') as { ref?: unknown }).ref, {
    to: 'node',
    nodeType: 'keyVault',
  });
  const keySize = field(cert.general, 'keySize');
  assert.ok(keySize.kind === 'number' && keySize.integer && keySize.min === undefined && keySize.max === undefined, 'safe-integer bounds are not shown');
  const notAfter = field(cert.general, 'notAfter');
  assert.ok(notAfter.kind === 'string' && notAfter.format === 'date');
  const dns = field(cert.general, 'dnsNames');
  assert.ok(dns.kind === 'array-of-string' && dns.item.patternMessage === 'must be a fully qualified DNS name');
  assert.equal(field(metadataFormModel().general, 'tags').kind, 'record');
});

test('field kinds: enums, booleans, bounded numbers, nested objects, lists of strings, of enum values and of objects, maps', () => {
  const aks = nodeFormModel('aksCluster').properties;
  assert.equal(field(aks, 'properties', 'networkPolicy').kind, 'enum');
  assert.equal(field(aks, 'properties', 'privateCluster').kind, 'boolean');
  const ingress = field(aks, 'properties', 'ingress');
  assert.equal(ingress.kind, 'object');
  const depth = field(aks, 'properties', 'ingress', 'verifyDepth');
  assert.deepEqual(
    depth.kind === 'number' && { integer: depth.integer, min: depth.min, max: depth.max, default: depth.default },
    { integer: true, min: 1, max: 10, default: 1 },
  );
  assert.equal(field(aks, 'properties', 'ingress', 'annotations').kind, 'record');
  assert.deepEqual(field(aks, 'properties', 'authorizedIpRanges').kind, 'array-of-string');
  const services = field(aks, 'properties', 'services') as ObjectListField;
  assert.equal(services.kind, 'array-of-object');
  assert.deepEqual(
    services.fields.map((f) => [f.key, f.required, f.path]),
    [
      ['name', true, ['name']],
      ['namespace', false, ['namespace']],
      ['port', false, ['port']],
      ['path', false, ['path']],
    ],
  );

  const apis = field(nodeFormModel('apiManagement').properties, 'properties', 'apis') as ObjectListField;
  assert.deepEqual(
    apis.fields.filter((f) => f.required).map((f) => f.key),
    ['name', 'path', 'service'],
  );
  assert.deepEqual((apis.fields.find((f) => f.key === 'service') as { ref?: unknown }).ref, { to: 'service' });

  const zones = field(nodeFormModel('applicationGateway').properties, 'properties', 'zones');
  assert.ok(zones.kind === 'array-of-string');
  assert.deepEqual(zones.item.options, ['1', '2', '3']);
  const plans = field(nodeFormModel('defenderForCloud').properties, 'properties', 'plans');
  assert.ok(plans.kind === 'array-of-string' && plans.item.options?.includes('Containers'));

  const email = field(nodeFormModel('apiManagement').properties, 'properties', 'publisherEmail');
  assert.ok(email.kind === 'string' && email.format === 'email' && email.pattern);
  assert.deepEqual(nodeFormModel('internet').properties, []);
});

test('certificate references are selects of certificates of the right role', () => {
  const roles: Record<string, string> = {};
  for (const type of NODE_TYPES) {
    const walk = (fields: readonly Field[]) => {
      for (const f of fields) {
        if (f.kind === 'object') walk(f.fields);
        if (f.kind === 'string' && f.ref?.to === 'certificate') roles[`${type}.${pathKey(f.path)}`] = f.ref.role;
      }
    };
    walk(nodeFormModel(type).properties);
  }
  for (const type of EDGE_TYPES) {
    for (const f of edgeFormModel(type).properties) if (f.kind === 'string' && f.ref?.to === 'certificate') roles[`${type}.${pathKey(f.path)}`] = f.ref.role;
  }
  assert.deepEqual(roles, {
    'applicationGateway.properties.certificate': 'server',
    'apiManagement.properties.certificate': 'server',
    'aksCluster.properties.ingress.serverCertificate': 'server',
    'aksCluster.properties.ingress.clientCa': 'ca',
    'https.properties.trustedCa': 'ca',
    'mtls.properties.clientCertificate': 'client',
    'mtls.properties.trustedCa': 'ca',
  });
  assert.deepEqual(
    referenceOptions(REF, { to: 'certificate', role: 'server' }).map((o) => o.value),
    ['gateway-tls', 'apim-tls', 'ingress-tls'],
  );
  assert.deepEqual(
    referenceOptions(REF, { to: 'certificate', role: 'client' }).map((o) => o.value),
    ['apim-client'],
  );
  assert.deepEqual(
    referenceOptions(REF, { to: 'certificate', role: 'ca' }).map((o) => o.value),
    ['internal-ca'],
  );
  assert.deepEqual(
    referenceOptions(REF, { to: 'issuer' }, 'internal-ca').map((o) => o.value),
    ['self', 'external'],
    'a CA is not its own issuer',
  );
  assert.deepEqual(
    referenceOptions(REF, { to: 'issuer' }, 'apim-tls').map((o) => o.value),
    ['self', 'external', 'internal-ca'],
  );
  assert.deepEqual(
    referenceOptions(REF, { to: 'node', nodeType: 'keyVault' }).map((o) => o.value),
    ['kv'],
  );
  assert.deepEqual(
    referenceOptions(REF, { to: 'service' }).map((o) => o.value),
    ['orders'],
  );
  assert.equal(emptyChoiceLabel(field(edgeFormModel('https').properties, 'properties', 'trustedCa')), '(derived from the certificates)');
  assert.equal(emptyChoiceLabel(field(certificateFormModel().general, 'issuer')), '(default: self)');
});

test('reference selects: no value first when optional, and a current value that names nothing suitable says why', () => {
  const client = field(edgeFormModel('mtls').properties, 'properties', 'clientCertificate');
  assert.ok(client.kind === 'string' && client.ref);
  const ref = { ...client, ref: client.ref };
  assert.deepEqual(
    referenceChoices(REF, ref, 'apim-client').map((o) => o.value),
    ['apim-client'],
    'required: no empty choice',
  );
  assert.deepEqual(
    referenceChoices(REF, ref, 'apim-tls').map((o) => o.label),
    ['apim-tls (server certificate, not client)', 'apim-client'],
  );
  assert.equal(referenceChoices(REF, ref, 'gone')[0]!.label, 'gone (not found)');
  const trusted = field(edgeFormModel('https').properties, 'properties', 'trustedCa');
  assert.ok(trusted.kind === 'string' && trusted.ref);
  assert.deepEqual(
    referenceChoices(REF, { ...trusted, ref: trusted.ref }, '').map((o) => [o.value, o.label]),
    [
      ['', '(derived from the certificates)'],
      ['internal-ca', 'internal-ca'],
    ],
  );
  const vault = field(certificateFormModel().general, 'keyVault');
  assert.ok(vault.kind === 'string' && vault.ref);
  assert.equal(referenceChoices(REF, { ...vault, ref: vault.ref }, 'sql')[1]!.label, 'sql (a sqlDatabase node, not keyVault)');
  const issuer = field(certificateFormModel().general, 'issuer');
  assert.ok(issuer.kind === 'string' && issuer.ref);
  assert.equal(referenceChoices(REF, { ...issuer, ref: issuer.ref }, 'internal-ca', 'internal-ca')[1]!.label, 'internal-ca (itself)');
});

test('labels read as words', () => {
  assert.equal(humanize('minTlsVersion'), 'Min TLS version');
  assert.equal(humanize('clientCa'), 'Client CA');
  assert.equal(humanize('dnsNames'), 'DNS names');
  assert.equal(humanize('authorizedIpRanges'), 'Authorized IP ranges');
  assert.equal(humanize('id'), 'ID');
  assert.equal(humanize('nodeVmSize'), 'Node VM size');
});

// ---------------------------------------------------------------- validation of typed text

test('typed text is checked against the field pattern, bounds and requiredness', () => {
  const aks = nodeFormModel('aksCluster').properties;
  const depth = field(aks, 'properties', 'ingress', 'verifyDepth');
  assert.deepEqual(parseFieldText(depth, '3'), { ok: true, value: 3 });
  assert.deepEqual(parseFieldText(depth, ' 10 '), { ok: true, value: 10 });
  assert.deepEqual(parseFieldText(depth, '0'), { ok: false, message: 'must be at least 1' });
  assert.deepEqual(parseFieldText(depth, '11'), { ok: false, message: 'must be at most 10' });
  assert.deepEqual(parseFieldText(depth, '2.5'), { ok: false, message: 'must be a whole number' });
  assert.deepEqual(parseFieldText(depth, 'two'), { ok: false, message: 'must be a number' });
  assert.deepEqual(parseFieldText(depth, ''), { ok: true, value: undefined }, 'empty: back to the default');

  const host = field(aks, 'properties', 'ingress', 'hostName');
  assert.deepEqual(parseFieldText(host, 'orders.internal.contoso.com'), { ok: true, value: 'orders.internal.contoso.com' });
  assert.deepEqual(parseFieldText(host, 'not a host'), { ok: false, message: 'must be a fully qualified DNS name' });

  const id = field(nodeFormModel('aksCluster').general, 'id');
  assert.deepEqual(parseFieldText(id, ''), { ok: false, message: 'ID is required' });
  const bad = parseFieldText(id, 'Bad_Id');
  assert.ok(!bad.ok && bad.message.startsWith('must match [a-z][a-z0-9-]{0,39}'));

  const name = field(nodeFormModel('aksCluster').general, 'name');
  assert.deepEqual(parseFieldText(name, 'x'.repeat(81)), { ok: false, message: 'the value must have at most 80 characters' });

  const notAfter = field(certificateFormModel().general, 'notAfter');
  assert.deepEqual(parseFieldText(notAfter, '2030-02-28'), { ok: true, value: '2030-02-28' });
  assert.deepEqual(parseFieldText(notAfter, '2030-02-30'), { ok: false, message: 'the value must be a date (YYYY-MM-DD)' });

  const dns = field(certificateFormModel().general, 'dnsNames');
  assert.deepEqual(parseFieldText(dns, 'a.contoso.com, *.b.contoso.com'), { ok: true, value: ['a.contoso.com', '*.b.contoso.com'] });
  assert.deepEqual(parseFieldText(dns, 'a.contoso.com nope'), { ok: false, message: '"nope": must be a fully qualified DNS name' });
  assert.deepEqual(parseFieldText(dns, ' '), { ok: true, value: undefined }, 'an empty list whose default is [] removes the key');

  const zones = field(nodeFormModel('applicationGateway').properties, 'properties', 'zones');
  assert.deepEqual(parseFieldText(zones, ''), { ok: true, value: [] }, 'an empty list whose default is not [] is written');
  assert.deepEqual(parseFieldText(zones, '1 4'), { ok: false, message: '"4" is not one of 1, 2, 3' });

  const email = field(nodeFormModel('apiManagement').properties, 'properties', 'publisherEmail');
  assert.equal(parseFieldText(email, 'team@contoso.com').ok, true);
  assert.equal(parseFieldText(email, 'team@').ok, false);
});

// ---------------------------------------------------------------- elements, paths, findings

test('elements are found by id and located from the document root', () => {
  const aksIndex = REF.nodes.findIndex((n) => n.id === 'aks');
  assert.deepEqual(elementPath(REF, { kind: 'node', id: 'aks' }), ['nodes', aksIndex]);
  assert.deepEqual(elementPath(REF, { kind: 'node', id: 'aks' }, ['properties', 'ingress']), ['nodes', aksIndex, 'properties', 'ingress']);
  const mtls = REF.edges.findIndex((e) => e.type === 'mtls');
  assert.deepEqual(elementPath(REF, { kind: 'edge', id: 'apim-aks' }), ['edges', mtls]);
  assert.deepEqual(elementPath(REF, { kind: 'edge', id: 'aks-kv-link' }), ['edges', REF.edges.findIndex((e) => edgeId(e) === 'aks-kv-link')]);
  assert.deepEqual(elementPath(REF, { kind: 'certificate', id: 'apim-client' }), ['certificates', 4]);
  assert.equal(elementPath(REF, { kind: 'node', id: 'nope' }), undefined);

  // The computed path is where the YAML really is.
  const parsed = parseDesign(REFERENCE);
  const at = parsed.locate(elementPath(REF, { kind: 'node', id: 'aks' }, ['properties', 'ingress', 'verifyDepth'])!);
  assert.ok(at);
  assert.equal(REFERENCE.split('\n')[at.line - 1]!.trim(), 'verifyDepth: 1');

  const found = findElement(REF, { kind: 'edge', id: 'apim-aks' });
  assert.ok(found?.kind === 'edge' && found.edge.type === 'mtls');
  assert.deepEqual(editTarget({ kind: 'certificate', id: 'x' }), { kind: 'certificate', id: 'x' });
});

test('the common type of a multiple selection', () => {
  assert.equal(
    commonType(REF, [
      { kind: 'node', id: 'sql' },
      { kind: 'node', id: 'sql' },
    ]),
    'sqlDatabase',
  );
  assert.equal(
    commonType(REF, [
      { kind: 'edge', id: 'internet-appgw' },
      { kind: 'edge', id: 'appgw-apim' },
    ]),
    'https edge',
  );
  assert.equal(
    commonType(REF, [
      { kind: 'node', id: 'sql' },
      { kind: 'node', id: 'cosmos' },
    ]),
    undefined,
  );
  assert.equal(
    commonType(REF, [
      { kind: 'certificate', id: 'apim-tls' },
      { kind: 'certificate', id: 'ingress-tls' },
    ]),
    'server certificate',
  );
});

test('findings on an element, and their paths relative to it', () => {
  const i = REF.nodes.findIndex((n) => n.id === 'aks');
  const findings: Finding[] = [
    { ruleId: 'A', severity: 'error', message: 'm', target: { kind: 'node', id: 'aks' }, path: ['nodes', i, 'properties', 'ingress', 'verifyDepth'] },
    { ruleId: 'B', severity: 'warning', message: 'm', target: { kind: 'node', id: 'apim' }, path: ['nodes', 2] },
    { ruleId: 'C', severity: 'info', message: 'm', target: { kind: 'node', id: 'aks' } },
  ];
  const own = findingsOn(findings, { kind: 'node', id: 'aks' });
  assert.deepEqual(
    own.map((f) => f.ruleId),
    ['A', 'C'],
  );
  assert.deepEqual(relativePath(own[0]!, ['nodes', i]), ['properties', 'ingress', 'verifyDepth']);
  assert.equal(relativePath(own[1]!, ['nodes', i]), undefined);
  assert.equal(relativePath(findings[1]!, ['nodes', i]), undefined);
});

// ---------------------------------------------------------------- operations, applied for real

test('a changed value sends setProperty with the path relative to the target; applied, the design has it', () => {
  const target = { kind: 'node', id: 'aks' } as const;
  const path = ['properties', 'ingress', 'verifyDepth'];
  const current = valueAt(findElement(REF, target)!.kind === 'node' ? (findElement(REF, target) as { node: unknown }).node : undefined, path);
  assert.equal(current, 1);
  const ops = changeOps(target, path, 2, current);
  assert.deepEqual(ops, [{ op: 'setProperty', target, path, value: 2 }]);
  const after = apply(ops);
  const aks = after.nodes.find((n) => n.id === 'aks');
  assert.ok(aks?.type === 'aksCluster' && aks.properties.ingress.verifyDepth === 2);

  assert.deepEqual(changeOps(target, path, 1, 1), [], 'no change, no edit');
});

test('an emptied optional field and a reset send unsetProperty; the default applies again', () => {
  const appgw = { kind: 'node', id: 'appgw' } as const;
  const ops = changeOps(appgw, ['properties', 'hostName'], undefined, 'api.contoso.com');
  assert.deepEqual(ops, [{ op: 'unsetProperty', target: appgw, path: ['properties', 'hostName'] }]);
  const after = apply(ops);
  const node = after.nodes.find((n) => n.id === 'appgw');
  assert.ok(node?.type === 'applicationGateway' && node.properties.hostName === undefined);

  const reset = resetOps({ kind: 'node', id: 'logs' }, ['properties', 'retentionDays']);
  const logs = apply(reset).nodes.find((n) => n.id === 'logs');
  assert.ok(logs?.type === 'logAnalytics' && logs.properties.retentionDays === 30);
  const retention = field(nodeFormModel('logAnalytics').properties, 'properties', 'retentionDays');
  assert.equal(isDefault(retention, 90), false);
  assert.equal(isDefault(retention, 30), true);
  assert.equal(isDefault(retention, undefined), true);
});

test('renaming a node sends renameNode; a certificate id is renamed with setProperty', () => {
  const ops = changeOps({ kind: 'node', id: 'apim' }, ['id'], 'gateway', 'apim');
  assert.deepEqual(ops, [{ op: 'renameNode', id: 'apim', newId: 'gateway' }]);
  const after = apply(ops);
  assert.ok(after.nodes.some((n) => n.id === 'gateway'));
  assert.ok(after.edges.some((e) => e.from === 'gateway' && e.type === 'mtls'));

  const cert = changeOps({ kind: 'certificate', id: 'apim-client' }, ['id'], 'apim-mtls', 'apim-client');
  const renamed = apply(cert);
  const mtls = renamed.edges.find((e) => e.type === 'mtls');
  assert.ok(mtls?.type === 'mtls' && mtls.properties.clientCertificate === 'apim-mtls');
  assert.deepEqual(changeOps({ kind: 'node', id: 'apim' }, ['id'], undefined, 'apim'), [], 'an id is never removed');
});

test('edge and certificate properties, metadata', () => {
  const edge = { kind: 'edge', id: 'apim-aks' } as const;
  const after = apply(changeOps(edge, ['properties', 'trustedCa'], 'internal-ca', undefined));
  const mtls = after.edges.find((e) => edgeId(e) === 'apim-aks');
  assert.ok(mtls?.type === 'mtls' && mtls.properties.trustedCa === 'internal-ca');

  const cert = apply(changeOps({ kind: 'certificate', id: 'ingress-tls' }, ['notAfter'], '2031-01-31', undefined));
  assert.equal(cert.certificates.find((c) => c.id === 'ingress-tls')?.notAfter, '2031-01-31');

  const meta = apply(changeOps({ kind: 'metadata' }, ['description'], 'Orders API', REF.metadata.description));
  assert.equal(meta.metadata.description, 'Orders API');
});

test('lists of objects: add a valid row, edit a cell, remove a row', () => {
  const apim = { kind: 'node', id: 'apim' } as const;
  const apis = field(nodeFormModel('apiManagement').properties, 'properties', 'apis') as ObjectListField;
  const list = (valueAt((findElement(REF, apim) as { node: unknown }).node, apis.path) as unknown[]) ?? [];
  assert.equal(list.length, 1);
  const item = newListItem(apis, list, REF);
  assert.deepEqual(item, { name: 'api-2', path: 'api-2', service: 'orders' });
  assert.ok(ApiSchema.safeParse(item).success);

  const added = apply(addItemOps(apim, apis.path, list, item));
  const node = added.nodes.find((n) => n.id === 'apim');
  assert.ok(node?.type === 'apiManagement');
  assert.deepEqual(
    node.properties.apis.map((a) => a.name),
    ['orders', 'api-2'],
  );

  const edited = apply(changeOps(apim, [...apis.path, 0, 'displayName'], 'Orders', undefined));
  const e = edited.nodes.find((n) => n.id === 'apim');
  assert.ok(e?.type === 'apiManagement' && e.properties.apis[0]?.displayName === 'Orders');

  const removed = apply(removeItemOps(apim, apis.path, 0));
  const r = removed.nodes.find((n) => n.id === 'apim');
  assert.ok(r?.type === 'apiManagement' && r.properties.apis.length === 0);

  // An empty list (absent from the YAML) gets the whole list.
  const services = field(nodeFormModel('aksCluster').properties, 'properties', 'services') as ObjectListField;
  const svc = newListItem(services, [], REF);
  assert.ok(ServiceSchema.safeParse(svc).success, JSON.stringify(svc));
  assert.deepEqual(addItemOps({ kind: 'node', id: 'x' }, services.path, [], svc), [
    { op: 'setProperty', target: { kind: 'node', id: 'x' }, path: ['properties', 'services'], value: [svc] },
  ]);
  const withoutServices = applyOps(REFERENCE, [{ op: 'unsetProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'services'] }]);
  assert.ok(!/services:/.test(withoutServices));
  const withOne = apply(addItemOps({ kind: 'node', id: 'aks' }, services.path, [], svc), withoutServices);
  const aks = withOne.nodes.find((n) => n.id === 'aks');
  assert.ok(aks?.type === 'aksCluster');
  assert.deepEqual(aks.properties.services, [{ ...svc, namespace: 'default', port: 443, path: '/' }]);
});

function applyOps(text: string, ops: EditOperation[]): string {
  const result = applyOperations(text, ops);
  assert.ok(result.ok);
  return result.text;
}

test('maps: add the first entry, rename a key, toggle enum options in schema order', () => {
  const aks = { kind: 'node', id: 'aks' } as const;
  const path = ['properties', 'ingress', 'annotations'];
  const first = apply([{ op: 'setProperty', target: aks, path, value: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' } }]);
  const a = first.nodes.find((n) => n.id === 'aks');
  assert.ok(a?.type === 'aksCluster');
  assert.deepEqual(a.properties.ingress.annotations, { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' });

  const text = applyOps(REFERENCE, [{ op: 'setProperty', target: aks, path, value: { old: 'v' } }]);
  const renamed = apply(renameRecordKeyOps(aks, path, 'old', 'new', 'v'), text);
  const b = renamed.nodes.find((n) => n.id === 'aks');
  assert.ok(b?.type === 'aksCluster');
  assert.deepEqual(b.properties.ingress.annotations, { new: 'v' });

  assert.deepEqual(toggleOption(['1', '2', '3'], ['3', '1'], '2', true), ['1', '2', '3']);
  assert.deepEqual(toggleOption(['1', '2', '3'], ['1', '2', '3'], '2', false), ['1', '3']);
  const zones = apply(changeOps({ kind: 'node', id: 'appgw' }, ['properties', 'zones'], ['1', '3'], ['1', '2', '3']));
  const g = zones.nodes.find((n) => n.id === 'appgw');
  assert.ok(g?.type === 'applicationGateway');
  assert.deepEqual(g.properties.zones, ['1', '3']);
});
