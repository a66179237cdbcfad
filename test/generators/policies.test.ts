/**
 * API Management policy documents (src/generators/policies): well-formed XML (checked by saxes, a strict
 * XML 1.0 parser), only known policy elements, `<base />` first in every section, the expected elements
 * for the reference design, and values that cannot escape their place (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { parse as parseYaml } from 'yaml';
import { parseDesign } from '../../src/document/parse.js';
import { DesignSchema, type Design, type DesignInput } from '../../src/schemas/design.js';
import {
  apimBackendName,
  apimCertificateName,
  generatePolicies,
  policyLiteral,
  BASE,
  POLICY_CHILDREN,
  POLICY_ROOT,
  POLICY_SECTIONS,
  POLICY_STATEMENTS,
  TENANT_ID_NAMED_VALUE,
} from '../../src/generators/policies/index.js';
import { append, deleteAt, indexOf, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

// ---------------------------------------------------------------- helpers

interface Node {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: Node[];
  text: string;
}

/** Parses with a strict XML 1.0 parser; throws on the first well-formedness error. */
function parseXml(xml: string): Node {
  const parser = new SaxesParser();
  const stack: Node[] = [];
  let root: Node | undefined;
  let error: Error | undefined;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.on('opentag', (tag) => {
    const node: Node = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (error) throw error;
  assert.ok(root, 'no root element');
  return root;
}

function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.equal(parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(parsed.findings)}`);
  return parsed.design as Design;
}

/** The document's structure holds: the four sections in order, `<base />` first in each, only known elements. */
function checkStructure(root: Node): void {
  assert.equal(root.name, POLICY_ROOT);
  assert.deepEqual(
    root.children.map((c) => c.name),
    [...POLICY_SECTIONS],
  );
  for (const section of root.children) {
    assert.equal(section.children[0]?.name, BASE, `<${section.name}> starts with <base />`);
    assert.equal(section.children.filter((c) => c.name === BASE).length, 1);
    for (const statement of section.children.slice(1)) {
      assert.ok(POLICY_STATEMENTS.has(statement.name), `unknown policy <${statement.name}>`);
      checkChildren(statement);
    }
  }
}

function checkChildren(node: Node): void {
  for (const child of node.children) {
    assert.ok(POLICY_CHILDREN[node.name]?.has(child.name), `<${child.name}> is not a known child of <${node.name}>`);
    checkChildren(child);
  }
}

function find(node: Node, name: string): Node[] {
  return [node, ...node.children.flatMap((c) => find(c, name))].filter((n) => n.name === name);
}

function inbound(root: Node): Node[] {
  return root.children[0]?.children ?? [];
}

/** Decodes a C# regular string literal ("...", with \\ \" \uXXXX escapes). */
function decodeCsharp(literal: string): string {
  assert.ok(literal.startsWith('"') && literal.endsWith('"') && literal.length >= 2, `not a string literal: ${literal}`);
  let out = '';
  const body = literal.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') assert.fail(`unescaped quote in ${literal}`);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === '\\' || next === '"') out += next;
    else if (next === 'u') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else assert.fail(`unexpected escape \\${next}`);
  }
  return out;
}

/** What API Management takes from a value: the literal itself, or what the `@("...")` expression evaluates to. */
function apimValue(value: string): string {
  return value.startsWith('@(') ? decodeCsharp(value.slice(2, -1)) : value;
}

// ---------------------------------------------------------------- the reference design

test('reference design: one policy per API, with token validation, backend and client certificate', () => {
  const files = generatePolicies(designOf(REFERENCE));
  assert.deepEqual(
    files.map((f) => f.path),
    ['apim/policies/apim-orders.xml'],
  );
  const content = files[0]!.content;
  const root = parseXml(content);
  checkStructure(root);
  assert.deepEqual(
    inbound(root).map((n) => n.name),
    ['base', 'validate-jwt', 'set-backend-service', 'authentication-certificate'],
  );
  assert.equal(content, REFERENCE_POLICY);
});

// The entraId node of the reference gives no client application ids: validate-azure-ad-token needs at least one,
// so the tenant's OpenID configuration is checked with validate-jwt; the tenant comes from the named value.
const REFERENCE_POLICY = `<!-- Generated by Gatewright from the design. Change the design and generate again rather than editing this file. -->
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" require-scheme="Bearer" failed-validation-httpcode="401" failed-validation-error-message="Unauthorized. The access token is missing or invalid." require-expiration-time="true" require-signed-tokens="true">
      <openid-config url="https://login.microsoftonline.com/{{tenant-id}}/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>api://payments-orders</audience>
      </audiences>
      <issuers>
        <issuer>https://login.microsoftonline.com/{{tenant-id}}/v2.0</issuer>
        <issuer>https://sts.windows.net/{{tenant-id}}/</issuer>
      </issuers>
    </validate-jwt>
    <set-backend-service backend-id="aks-ingress" />
    <authentication-certificate certificate-id="apim-client" />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
`;

test('with client application ids: validate-azure-ad-token, tenant GUID, the API audience over the Entra one', () => {
  const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'entra', 'properties', 'tenantId'], tenant);
    setAt(d, ['nodes', 'entra', 'properties', 'clientApplicationIds'], ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222']);
    setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'audience'], 'api://orders-v2');
  });
  const root = parseXml(generatePolicies(designOf(text))[0]!.content);
  checkStructure(root);
  const [token] = find(root, 'validate-azure-ad-token');
  assert.ok(token);
  assert.equal(token.attributes['tenant-id'], tenant);
  assert.deepEqual(
    find(token, 'application-id').map((n) => n.text),
    ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'],
  );
  assert.deepEqual(
    find(token, 'audience').map((n) => n.text),
    ['api://orders-v2'],
  );
  assert.equal(find(root, 'validate-jwt').length, 0);
});

test('without a tokenValidation edge there is no token validation', () => {
  const root = parseXml(generatePolicies(designOf(mutateReference((d) => deleteAt(d, ['edges', 'apim-entra']))))[0]!.content);
  checkStructure(root);
  assert.deepEqual(
    inbound(root).map((n) => n.name),
    ['base', 'set-backend-service', 'authentication-certificate'],
  );
});

test('an https edge to the cluster sets the backend but presents no client certificate', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'apim-aks']);
    append(d, 'edges', { from: 'apim', to: 'aks', type: 'https' });
  });
  const root = parseXml(generatePolicies(designOf(text))[0]!.content);
  checkStructure(root);
  assert.deepEqual(
    inbound(root).map((n) => n.name),
    ['base', 'validate-jwt', 'set-backend-service'],
  );
});

test('an API whose service no reached cluster serves gets no backend', () => {
  const design = designOf(REFERENCE);
  const apim = design.nodes.find((n) => n.type === 'apiManagement');
  assert.ok(apim?.type === 'apiManagement');
  apim.properties.apis.push({ name: 'billing', path: 'billing', service: 'billing', subscriptionRequired: true });
  const files = generatePolicies(design);
  assert.deepEqual(
    files.map((f) => f.path),
    ['apim/policies/apim-billing.xml', 'apim/policies/apim-orders.xml'],
  );
  const billing = parseXml(files[0]!.content);
  checkStructure(billing);
  assert.deepEqual(
    inbound(billing).map((n) => n.name),
    ['base', 'validate-jwt'],
  );
});

test('the backend follows the cluster that lists the service, with its own client certificate', () => {
  const text = mutateReference((d) => {
    append(d, 'certificates', { id: 'apim-client-eu2', role: 'client', issuer: 'internal-ca', keyVault: 'kv' });
    append(d, 'nodes', { id: 'aks-eu2', type: 'aksCluster', properties: { ingress: { hostName: 'billing.internal.contoso.com' }, services: [{ name: 'billing', namespace: 'billing' }] } });
    append(d, 'edges', { from: 'apim', to: 'aks-eu2', type: 'mtls', properties: { clientCertificate: 'apim-client-eu2' } });
    d.addIn(['nodes', indexOf(d, 'nodes', 'apim'), 'properties', 'apis'], d.createNode({ name: 'billing', path: 'billing', service: 'billing' }));
  });
  const files = generatePolicies(designOf(text));
  const billing = parseXml(files.find((f) => f.path === 'apim/policies/apim-billing.xml')!.content);
  assert.equal(find(billing, 'set-backend-service')[0]?.attributes['backend-id'], 'aks-eu2-ingress');
  assert.equal(find(billing, 'authentication-certificate')[0]?.attributes['certificate-id'], 'apim-client-eu2');
});

test('entity names: the backend and certificate names the Bicep shares, within API Management limits', () => {
  assert.equal(apimBackendName('aks'), 'aks-ingress');
  assert.equal(apimCertificateName('apim-client'), 'apim-client');
  const long = `c${'x'.repeat(126)}`;
  const a = apimCertificateName(long);
  const b = apimCertificateName(`${long.slice(0, -1)}y`);
  assert.ok(a.length <= 80 && b.length <= 80);
  assert.notEqual(a, b);
  assert.equal(a, apimCertificateName(long));
  assert.match(apimCertificateName('a*b#c'), /^[a-zA-Z0-9-]+$/);
  assert.equal(TENANT_ID_NAMED_VALUE, 'tenant-id');
});

test('the same design gives byte-identical files', () => {
  assert.deepEqual(generatePolicies(designOf(REFERENCE)), generatePolicies(designOf(REFERENCE)));
});

// ---------------------------------------------------------------- escaping

test('policyLiteral keeps plain values and turns expressions and named values into string expressions', () => {
  assert.equal(policyLiteral('api://orders'), 'api://orders');
  assert.equal(policyLiteral('@(context.Request.Url)'), '@("@(context.Request.Url)")');
  assert.equal(policyLiteral('{{secret}}'), '@("\\u007B\\u007Bsecret\\u007D\\u007D")');
  assert.equal(policyLiteral(' @{return 1;}'), '@(" @\\u007Breturn 1;\\u007D")');
  assert.equal(apimValue(policyLiteral('a"b\\c\u0001')), 'a"b\\c\u0001');
});

/** Strings that stress every escaping rule: XML markup, quotes, entities, expressions, named values, Bicep interpolation. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(fc.constantFrom('"', "'", '<', '>', '&', '&amp;', '${', '}', '{{', '}}', '@(', '@{', ')', '\\', '\n', '\r', '\t', '\u0000', '\uD800', '-->', ']]>', 'a', ' '), {
      maxLength: 12,
    })
    .map((parts) => parts.join('')),
);

test('no value can break out of its attribute or text (property-based)', () => {
  const reference = DesignSchema.parse(parseYaml(REFERENCE) as DesignInput);
  fc.assert(
    fc.property(
      fc.record({
        audience: nasty,
        apiAudience: fc.option(nasty, { nil: undefined }),
        clients: fc.array(nasty, { maxLength: 3 }),
        tenant: fc.option(nasty, { nil: undefined }),
        apiName: nasty,
        apimId: nasty,
        aksId: nasty,
        certId: nasty,
      }),
      (v) => {
        // Values the schema would refuse are put in after parsing: the generator must be safe on any Design object.
        const design = structuredClone(reference);
        const entra = design.nodes.find((n) => n.type === 'entraId');
        const apim = design.nodes.find((n) => n.type === 'apiManagement');
        const aks = design.nodes.find((n) => n.type === 'aksCluster');
        const edge = design.edges.find((e) => e.type === 'mtls');
        assert.ok(entra?.type === 'entraId' && apim?.type === 'apiManagement' && aks?.type === 'aksCluster' && edge?.type === 'mtls');
        // Node ids stay unique (a repeated id is a different design: the first node with it wins).
        const others = new Set(design.nodes.filter((n) => n !== apim && n !== aks).map((n) => n.id));
        fc.pre(v.apimId !== v.aksId && !others.has(v.apimId) && !others.has(v.aksId));
        entra.properties.audience = v.audience;
        entra.properties.clientApplicationIds = v.clients;
        entra.properties.tenantId = v.tenant;
        const api = apim.properties.apis[0]!;
        api.name = v.apiName;
        api.audience = v.apiAudience;
        for (const e of design.edges) {
          if (e.from === 'apim') e.from = v.apimId;
          if (e.from === 'aks') e.from = v.aksId;
          if (e.to === 'aks') e.to = v.aksId;
        }
        apim.id = v.apimId;
        aks.id = v.aksId;
        edge.properties.clientCertificate = v.certId;

        const files = generatePolicies(design);
        assert.equal(files.length, 1);
        const { path, content } = files[0]!;
        assert.match(path, /^apim\/policies\/[a-zA-Z0-9-]+\.xml$/);
        assert.doesNotMatch(content, /\$\{/, 'no Bicep interpolation');
        assert.deepEqual(
          content.match(/\{\{[^}]*\}\}/g)?.filter((m) => m !== `{{${TENANT_ID_NAMED_VALUE}}}`) ?? [],
          [],
          'no named value but the tenant one',
        );
        const root = parseXml(content);
        checkStructure(root);
        const names = inbound(root).map((n) => n.name);
        assert.deepEqual(names, ['base', v.clients.length > 0 ? 'validate-azure-ad-token' : 'validate-jwt', 'set-backend-service', 'authentication-certificate']);
        // Every value reads back as exactly the design's value (literally or through its string expression).
        assert.deepEqual(
          find(root, 'audience').map((n) => apimValue(n.text)),
          [v.apiAudience ?? v.audience],
        );
        assert.deepEqual(
          find(root, 'application-id').map((n) => apimValue(n.text)),
          [...new Set(v.clients)],
        );
        const backend = find(root, 'set-backend-service')[0]!.attributes['backend-id'];
        assert.equal(backend, apimBackendName(v.aksId));
        assert.match(backend ?? '', /^[a-zA-Z0-9-]{1,80}$/);
        assert.match(find(root, 'authentication-certificate')[0]!.attributes['certificate-id'] ?? '', /^[a-zA-Z0-9-]{1,80}$/);
        // An expression appears only as a whole value, and only in the @("...") form.
        for (const node of find(root, 'audience').concat(find(root, 'application-id'))) {
          if (node.text.includes('@')) assert.ok(!/^\s*@/.test(node.text) || node.text.startsWith('@("'), node.text);
        }
        for (const node of [...find(root, 'validate-azure-ad-token'), ...find(root, 'openid-config')]) {
          for (const value of Object.values(node.attributes)) assert.doesNotMatch(value, /^\s*@/);
        }
      },
    ),
    { numRuns: 300 },
  );
});
