/**
 * Kubernetes manifests of the ingress (src/generators/k8s): every manifest validates against the schema of
 * its kind (kubernetes-models, @kubernetes-models/gateway-api; the app routing CRD schema for
 * NginxIngressController), client-certificate verification matches the design, names are DNS-1123 labels
 * even for odd ids, output is deterministic, and no private key reaches a file.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { parse as parseYaml, type Document } from 'yaml';
import { parseDesign } from '../../src/document/parse.js';
import type { Design, DesignInput } from '../../src/schemas/design.js';
import { DesignSchema } from '../../src/schemas/design.js';
import { generateKubernetes, vaultNameOf, certificateBlocks, type KubernetesOutput } from '../../src/generators/k8s/index.js';
import { append, deleteAt, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { clientCertificate, intermediateCa, privateKeyPem, rootCa } from '../helpers/pki.js';
import { NGINX_INGRESS_CONTROLLER_SCHEMA } from '../helpers/nginx-ingress-controller.js';

// ---------------------------------------------------------------- helpers

function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.equal(parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(parsed.findings)}`);
  return parsed.design as Design;
}

const NGINX = 'nginx.ingress.kubernetes.io';
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, unknown>; labels?: Record<string, unknown> } };

function file(out: KubernetesOutput, path: string): string {
  const f = out.files.find((x) => x.path === path);
  assert.ok(f, `no file ${path}; files: ${out.files.map((x) => x.path).join(', ')}`);
  return f.content;
}

/** Reads YAML as kubectl does (YAML 1.1: an unquoted `on` would be a boolean). */
function readYaml(content: string): Obj {
  return parseYaml(content, { version: '1.1' }) as Obj;
}

function manifests(out: KubernetesOutput): Map<string, Obj> {
  const map = new Map<string, Obj>();
  for (const f of out.files) {
    if (f.path.endsWith('.yaml') && !f.path.endsWith('kustomization.yaml')) map.set(f.path, readYaml(f.content));
  }
  return map;
}

function byKind(out: KubernetesOutput, kind: string): Obj[] {
  return [...manifests(out).values()].filter((m) => m.kind === kind);
}

function one(out: KubernetesOutput, kind: string): Obj {
  const all = byKind(out, kind);
  assert.equal(all.length, 1, `expected one ${kind}, got ${all.length}`);
  return all[0] as Obj;
}

const validateNic = new Ajv({ allErrors: true }).compile(NGINX_INGRESS_CONTROLLER_SCHEMA);

/** A kubernetes-models class: validate() throws when the object does not satisfy the schema of its kind. */
type ModelClass = new (data: never) => { validate(): void };

/** Model classes by `<apiVersion> <kind>`; the packages are ES modules only, so they are loaded with import(). */
const MODELS = new Map<string, ModelClass>();

before(async () => {
  const core = await import('kubernetes-models/v1');
  const networking = await import('kubernetes-models/networking.k8s.io/v1');
  const gateway = await import('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1');
  const add = (apiVersion: string, kind: string, model: unknown) => MODELS.set(`${apiVersion} ${kind}`, model as ModelClass);
  add('v1', 'Namespace', core.Namespace);
  add('v1', 'Secret', core.Secret);
  add('v1', 'ConfigMap', core.ConfigMap);
  add('v1', 'Service', core.Service);
  add('networking.k8s.io/v1', 'Ingress', networking.Ingress);
  add('gateway.networking.k8s.io/v1', 'Gateway', gateway.Gateway);
  add('gateway.networking.k8s.io/v1', 'HTTPRoute', gateway.HTTPRoute);
  add('gateway.networking.k8s.io/v1', 'TLSRoute', gateway.TLSRoute);
  add('gateway.networking.k8s.io/v1', 'BackendTLSPolicy', gateway.BackendTLSPolicy);
});

/** Validates one manifest against the schema of its kind; fails on a kind without a schema. */
function validateManifest(path: string, m: Obj): void {
  const key = `${m.apiVersion} ${m.kind}`;
  if (key === 'approuting.kubernetes.azure.com/v1alpha1 NginxIngressController') {
    assert.ok(validateNic(m), `${path}: ${JSON.stringify(validateNic.errors)}`);
    return;
  }
  const Model = MODELS.get(key);
  if (!Model) assert.fail(`${path}: no schema for ${key}`);
  assert.doesNotThrow(() => new Model(m as never).validate(), `${path} (${key}) does not validate`);
}

/** Every check that holds for any generated output. */
function checkOutput(out: KubernetesOutput): void {
  const paths = out.files.map((f) => f.path);
  assert.deepEqual(paths, [...paths].sort(), 'files are sorted by path');
  assert.equal(new Set(paths).size, paths.length, 'no path twice');
  for (const f of out.files) {
    assert.ok(f.path.startsWith('k8s/') && !f.path.includes('..') && !f.path.includes('//'), `path ${f.path}`);
    assert.doesNotMatch(f.content, /PRIVATE KEY-----/, `${f.path} holds a private key`);
    if (f.path.endsWith('.yaml')) assert.doesNotMatch(f.content, /^\s*(tls\.key|password|token|[a-z]*Secret[a-z]*Value)\s*:/im, `${f.path} holds a secret`);
  }
  for (const [path, m] of manifests(out)) {
    validateManifest(path, m);
    assert.match(m.metadata.name, DNS1123_LABEL, `${path}: name ${m.metadata.name}`);
    if (m.metadata.namespace !== undefined) assert.match(m.metadata.namespace, DNS1123_LABEL, `${path}: namespace`);
    for (const [k, v] of Object.entries(m.metadata.annotations ?? {})) assert.equal(typeof v, 'string', `${path}: annotation ${k} is not a string`);
    if (m.kind === 'Secret') assert.notEqual(m.type, 'kubernetes.io/tls', `${path}: a TLS Secret holds a private key`);
  }
  // Each cluster kustomization lists exactly its folder's manifests, in a stable order, and nothing else.
  for (const k of out.files.filter((f) => /^k8s\/[^/]+\/kustomization\.yaml$/.test(f.path))) {
    const folder = k.path.slice(0, -'kustomization.yaml'.length);
    const body = readYaml(k.content) as unknown as { apiVersion: string; kind: string; resources: string[] };
    assert.equal(body.apiVersion, 'kustomize.config.k8s.io/v1beta1');
    assert.equal(body.kind, 'Kustomization');
    const own = paths.filter((p) => p.startsWith(folder) && p.endsWith('.yaml') && p !== k.path).map((p) => p.slice(folder.length));
    assert.deepEqual(body.resources, [...own].sort());
  }
  const root = readYaml(file(out, 'k8s/kustomization.yaml')) as unknown as { resources: string[] };
  assert.deepEqual(root.resources, paths.filter((p) => /^k8s\/[^/]+\/kustomization\.yaml$/.test(p)).map((p) => p.split('/')[1]));
}

function annotations(m: Obj): Record<string, unknown> {
  return m.metadata.annotations ?? {};
}

function ingressPatch(d: Document, key: string, value: unknown): void {
  setAt(d, ['nodes', 'aks', 'properties', 'ingress', key], value);
}

// ---------------------------------------------------------------- the reference design (appRouting)

test('reference design: the folder layout, with a kustomization per cluster and one at the top', () => {
  const out = generateKubernetes(designOf(REFERENCE));
  assert.deepEqual(
    out.files.map((f) => f.path),
    ['k8s/README.md', 'k8s/aks/kustomization.yaml', 'k8s/aks/nginx-internal.yaml', 'k8s/aks/orders/namespace.yaml', 'k8s/aks/orders/orders-ingress.yaml', 'k8s/kustomization.yaml'],
  );
  checkOutput(out);
});

/** The Secret of the client CA bundle (the pods' CA bundle is a Secret of its own). */
function clientCaSecret(out: ReturnType<typeof generateKubernetes>) {
  const found = byKind(out, 'Secret').filter((x) => x.metadata.name === 'mtls-client-ca');
  assert.equal(found.length, 1, 'one client CA Secret');
  return found[0]!;
}

test('reference design: the Ingress verifies client certificates as the design says', () => {
  const out = generateKubernetes(designOf(REFERENCE));
  const ing = one(out, 'Ingress');
  assert.equal(ing.metadata.namespace, 'orders');
  assert.deepEqual(annotations(ing), {
    'kubernetes.azure.com/tls-cert-keyvault-uri': 'https://paymentskv-<suffix>.vault.azure.net/certificates/ingress-tls',
    [`${NGINX}/auth-tls-secret`]: 'orders/mtls-client-ca',
    [`${NGINX}/auth-tls-verify-client`]: 'on',
    [`${NGINX}/auth-tls-verify-depth`]: '1',
    [`${NGINX}/backend-protocol`]: 'HTTPS',
    // HTTPS to the pods, verified against the CA that issues the platform's certificates.
    [`${NGINX}/proxy-ssl-secret`]: 'orders/backend-ca',
    [`${NGINX}/proxy-ssl-verify`]: 'on',
    [`${NGINX}/proxy-ssl-verify-depth`]: '1',
    [`${NGINX}/proxy-ssl-name`]: 'orders.orders.svc',
    [`${NGINX}/proxy-ssl-server-name`]: 'on',
  });
  const spec = ing.spec as { ingressClassName: string; tls: unknown; rules: unknown };
  // A dedicated internal controller of the add-on, its load balancer pinned to the last usable address of the AKS
  // subnet (10.0.0.0/20), where the private DNS record of orders.internal.contoso.com points.
  assert.equal(spec.ingressClassName, 'nginx-internal');
  assert.deepEqual(one(out, 'NginxIngressController').spec, {
    ingressClassName: 'nginx-internal',
    controllerNamePrefix: 'nginx-internal',
    httpDisabled: true,
    loadBalancerAnnotations: {
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-ipv4': '10.0.15.254',
    },
  });
  // The add-on names the Secret it syncs from Key Vault exactly keyvault-<ingress name>.
  assert.deepEqual(spec.tls, [{ hosts: ['orders.internal.contoso.com'], secretName: 'keyvault-orders' }]);
  assert.deepEqual(spec.rules, [
    {
      host: 'orders.internal.contoso.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'orders', port: { number: 443 } } } }] },
    },
  ]);
  // Annotation values are quoted in the text itself, whatever YAML version reads them.
  const text = file(out, 'k8s/aks/orders/orders-ingress.yaml');
  assert.match(text, /auth-tls-verify-client: "on"\n/);
  assert.match(text, /auth-tls-verify-depth: "1"\n/);
  assert.match(text, /^# .*NginxIngressController nginx-internal, load balancer 10\.0\.15\.254/m, 'the pinned internal load balancer is documented on top');
});

test('reference design: without the CA PEM, a secretGenerator reads ca.crt from a file the README names', () => {
  const out = generateKubernetes(designOf(REFERENCE));
  const k = readYaml(file(out, 'k8s/aks/kustomization.yaml')) as unknown as Record<string, unknown>;
  assert.deepEqual(k.secretGenerator, [
    { name: 'backend-ca', namespace: 'orders', files: ['ca.crt=certs/backend-ca.crt'], type: 'Opaque' },
    { name: 'mtls-client-ca', namespace: 'orders', files: ['ca.crt=certs/client-ca.crt'], type: 'Opaque' },
  ]);
  assert.deepEqual(k.generatorOptions, { disableNameSuffixHash: true });
  assert.match(file(out, 'k8s/README.md'), /"internal-ca".*k8s\/aks\/certs\/client-ca\.crt/);
  assert.ok(out.warnings.some((w) => w.includes('k8s/aks/certs/client-ca.crt')));
  assert.equal(byKind(out, 'Secret').length, 0);
});

test('the same design gives byte-identical files', () => {
  const a = generateKubernetes(designOf(REFERENCE));
  const b = generateKubernetes(designOf(REFERENCE));
  assert.deepEqual(a, b);
});

test('vaultNameOf: the node name when given, else the derived name', () => {
  const design = designOf(REFERENCE);
  assert.equal(vaultNameOf(design, 'kv'), 'paymentskv-<suffix>', 'a derived Key Vault name ends with the resource group\'s unique suffix, filled in by deploy');
  const named = designOf(mutateReference((d) => setAt(d, ['nodes', 'kv', 'name'], 'kv-contoso-prod')));
  assert.equal(vaultNameOf(named, 'kv'), 'kv-contoso-prod');
  const out = generateKubernetes(named);
  assert.equal(annotations(one(out, 'Ingress'))['kubernetes.azure.com/tls-cert-keyvault-uri'], 'https://kv-contoso-prod.vault.azure.net/certificates/ingress-tls');
});

test('the Key Vault URI uses the certificate secretName and has no version', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'secretName'], 'orders-ingress-2026'))));
  assert.equal(annotations(one(out, 'Ingress'))['kubernetes.azure.com/tls-cert-keyvault-uri'], 'https://paymentskv-<suffix>.vault.azure.net/certificates/orders-ingress-2026');
});

// ---------------------------------------------------------------- CA bundles

test('with the CA PEMs, the client CA Secret is a manifest holding only certificates: a private key handed in is dropped', async () => {
  const root = await rootCa('Contoso Internal Root');
  const withKey = `${root.pem}\n${privateKeyPem(root.key)}`;
  const out = generateKubernetes(designOf(REFERENCE), { caPems: new Map([['internal-ca', withKey]]) });
  checkOutput(out);
  const secret = clientCaSecret(out);
  assert.equal(secret.metadata.name, 'mtls-client-ca');
  assert.equal(secret.metadata.namespace, 'orders');
  const data = secret.stringData as Record<string, string>;
  assert.deepEqual(Object.keys(data), ['ca.crt']);
  assert.deepEqual(certificateBlocks(data['ca.crt'] as string), certificateBlocks(root.pem));
  assert.equal(data['ca.crt'], `${certificateBlocks(root.pem)[0]}\n`);
  const k = readYaml(file(out, 'k8s/aks/kustomization.yaml')) as unknown as Record<string, unknown>;
  assert.equal(k.secretGenerator, undefined);
  assert.ok(!out.warnings.some((w) => w.includes('certs/client-ca.crt')));
  assert.match(file(out, 'k8s/aks/orders/mtls-client-ca.yaml'), /ca\.crt: \|\n {4}-----BEGIN CERTIFICATE-----/);
});

test('an intermediate CA: ca.crt holds the issuing CA and the root above it, and verify depth is the design value', async () => {
  const root = await rootCa('Root');
  const issuing = await intermediateCa('Issuing', root);
  const client = await clientCertificate(issuing, 'apim');
  const text = mutateReference((d) => {
    append(d, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv' });
    setAt(d, ['certificates', 'apim-client', 'issuer'], 'issuing-ca');
    ingressPatch(d, 'verifyDepth', 2);
  });
  const caPems = new Map([
    ['internal-ca', root.pem],
    ['issuing-ca', issuing.pem],
    ['apim-client', client.pem],
  ]);
  const out = generateKubernetes(designOf(text), { caPems });
  checkOutput(out);
  const bundle = (clientCaSecret(out).stringData as Record<string, string>)['ca.crt'] as string;
  assert.deepEqual(certificateBlocks(bundle), [...certificateBlocks(issuing.pem), ...certificateBlocks(root.pem)]);
  assert.doesNotMatch(bundle, new RegExp(certificateBlocks(client.pem)[0]!.split('\n')[1]!.replace(/[+/]/g, '.')), 'the client certificate itself is not trusted');
  assert.equal(annotations(one(out, 'Ingress'))[`${NGINX}/auth-tls-verify-depth`], '2');
});

test('a missing PEM in the chain falls back to the generator and names every certificate to put in the file', async () => {
  const root = await rootCa('Root');
  const text = mutateReference((d) => {
    append(d, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv', file: 'certs/issuing-ca.pem' });
    setAt(d, ['certificates', 'apim-client', 'issuer'], 'issuing-ca');
  });
  const out = generateKubernetes(designOf(text), { caPems: new Map([['internal-ca', root.pem]]) });
  assert.equal(byKind(out, 'Secret').filter((x) => x.metadata.name === 'mtls-client-ca').length, 0);
  assert.match(file(out, 'k8s/README.md'), /"issuing-ca" \(certs\/issuing-ca\.pem\), "internal-ca"/);
});

test('the clientCa override replaces derived trust', async () => {
  const other = await rootCa('Partner Root');
  const text = mutateReference((d) => {
    append(d, 'certificates', { id: 'partner-ca', role: 'ca', issuer: 'self' });
    ingressPatch(d, 'clientCa', 'partner-ca');
  });
  const out = generateKubernetes(designOf(text), { caPems: new Map([['partner-ca', other.pem]]) });
  const bundle = (clientCaSecret(out).stringData as Record<string, string>)['ca.crt'] as string;
  assert.deepEqual(certificateBlocks(bundle), certificateBlocks(other.pem));
});

test('a client certificate from a public CA cannot be bundled: the README and warnings say so', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'issuer'], 'external'))));
  checkOutput(out);
  assert.match(file(out, 'k8s/README.md'), /a public CA/);
  assert.equal(annotations(one(out, 'Ingress'))[`${NGINX}/auth-tls-secret`], 'orders/mtls-client-ca');
});

test('verifyClient off: no auth-tls annotations, and a warning', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'verifyClient', 'off'))));
  checkOutput(out);
  const a = annotations(one(out, 'Ingress'));
  assert.deepEqual(Object.keys(a).filter((k) => k.includes('auth-tls')), []);
  assert.ok(out.warnings.some((w) => w.includes('verifyClient "off"')));
  assert.doesNotMatch(file(out, 'k8s/aks/kustomization.yaml'), /mtls-client-ca/);
});

test('verifyClient optional is written as is, with a warning', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'verifyClient', 'optional'))));
  assert.equal(annotations(one(out, 'Ingress'))[`${NGINX}/auth-tls-verify-client`], 'optional');
  assert.ok(out.warnings.some((w) => w.includes('verifyClient "optional"')));
});

test('no mtls edge and no clientCa: nothing to verify with, said in a warning', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => deleteAt(d, ['edges', 'apim-aks']))));
  checkOutput(out);
  assert.deepEqual(Object.keys(annotations(one(out, 'Ingress'))).filter((k) => k.includes('auth-tls')), []);
  assert.ok(out.warnings.some((w) => w.includes('no CA to verify client certificates')));
});

test('backendProtocol http is written as HTTP', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'backendProtocol', 'http'))));
  assert.equal(annotations(one(out, 'Ingress'))[`${NGINX}/backend-protocol`], 'HTTP');
});

// ---------------------------------------------------------------- passthrough

test('appRouting passthrough: ssl-passthrough only, no auth-tls, a dedicated internal controller, and a warning', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'backendProtocol', 'passthrough'))));
  checkOutput(out);
  const ing = one(out, 'Ingress');
  assert.deepEqual(annotations(ing), { [`${NGINX}/ssl-passthrough`]: 'true' });
  assert.equal((ing.spec as Record<string, unknown>).tls, undefined);
  const nic = one(out, 'NginxIngressController');
  assert.equal((ing.spec as Record<string, unknown>).ingressClassName, (nic.spec as Record<string, unknown>).ingressClassName);
  assert.deepEqual(nic.spec, {
    ingressClassName: 'nginx-internal-passthrough',
    controllerNamePrefix: 'nginx-internal-passthrough',
    enableSSLPassthrough: true,
    httpDisabled: true,
    loadBalancerAnnotations: {
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-ipv4': '10.0.15.254',
    },
  });
  assert.ok(out.warnings.some((w) => w.includes('mutual TLS must end in the pods')));
  assert.equal(byKind(out, 'Secret').length, 0);
  assert.doesNotMatch(file(out, 'k8s/aks/kustomization.yaml'), /secretGenerator/);
});

// ---------------------------------------------------------------- ingressNginx

test('ingressNginx: class nginx, end-of-life warning, the TLS Secret referenced but never generated', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'controller', 'ingressNginx'))));
  checkOutput(out);
  const ing = one(out, 'Ingress');
  const spec = ing.spec as { ingressClassName: string; tls: Array<{ secretName: string }> };
  assert.equal(spec.ingressClassName, 'nginx');
  assert.equal(spec.tls[0]?.secretName, 'ingress-tls');
  assert.equal(annotations(ing)['kubernetes.azure.com/tls-cert-keyvault-uri'], undefined);
  assert.equal(annotations(ing)[`${NGINX}/auth-tls-verify-client`], 'on');
  assert.ok(out.warnings.some((w) => w.includes('end of life in March 2026')));
  assert.ok(out.warnings.some((w) => w.includes('kubernetes.io/tls Secret orders/ingress-tls')));
  assert.match(file(out, 'k8s/README.md'), /kubernetes\.io\/tls Secret orders\/ingress-tls/);
  assert.match(file(out, 'k8s/aks/orders/orders-ingress.yaml'), /^# .*ingress-nginx\/ingress-nginx-controller, in this folder\) is internal and pinned to 10\.0\.15\.254/m);
  // The controller Service the chart makes, made internal and pinned to the address of the private DNS record.
  const svc = one(out, 'Service');
  assert.equal(svc.metadata.namespace, 'ingress-nginx');
  assert.equal(svc.metadata.name, 'ingress-nginx-controller');
  assert.deepEqual(annotations(svc), {
    'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
    'service.beta.kubernetes.io/azure-load-balancer-ipv4': '10.0.15.254',
  });
  assert.deepEqual((svc.spec as { selector: unknown }).selector, {
    'app.kubernetes.io/component': 'controller',
    'app.kubernetes.io/instance': 'ingress-nginx',
    'app.kubernetes.io/name': 'ingress-nginx',
  });
});

test('ingressNginx passthrough: the controller flag is asked for', () => {
  const out = generateKubernetes(
    designOf(mutateReference((d) => { ingressPatch(d, 'controller', 'ingressNginx'); ingressPatch(d, 'backendProtocol', 'passthrough'); })),
  );
  checkOutput(out);
  assert.ok(out.warnings.some((w) => w.includes('--enable-ssl-passthrough')));
  assert.equal(byKind(out, 'NginxIngressController').length, 0);
});

// ---------------------------------------------------------------- gatewayApi

test('gatewayApi: Gateway with frontend TLS validation (GEP-91), HTTPRoute, BackendTLSPolicy, CA ConfigMaps', async () => {
  const root = await rootCa('Root');
  const out = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'controller', 'gatewayApi'))), {
    caPems: new Map([['internal-ca', root.pem]]),
  });
  checkOutput(out);
  assert.deepEqual(
    out.files.map((f) => f.path),
    [
      'k8s/README.md',
      'k8s/aks/api-gateway/gateway.yaml',
      'k8s/aks/api-gateway/mtls-client-ca.yaml',
      'k8s/aks/api-gateway/namespace.yaml',
      'k8s/aks/kustomization.yaml',
      'k8s/aks/orders/backend-ca.yaml',
      'k8s/aks/orders/namespace.yaml',
      'k8s/aks/orders/orders-backendtlspolicy.yaml',
      'k8s/aks/orders/orders-httproute.yaml',
      'k8s/kustomization.yaml',
    ],
  );
  const gw = one(out, 'Gateway');
  const spec = gw.spec as Record<string, unknown>;
  assert.equal(spec.gatewayClassName, 'approuting-istio');
  assert.deepEqual(spec.infrastructure, {
    annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true', 'service.beta.kubernetes.io/azure-load-balancer-ipv4': '10.0.15.254' },
  });
  // Checked by hand as well as by the model: the field is Standard since Gateway API v1.5.0.
  assert.deepEqual(spec.tls, {
    frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'mtls-client-ca' }], mode: 'AllowValidOnly' } } },
  });
  assert.deepEqual(spec.listeners, [
    {
      name: 'https',
      hostname: 'orders.internal.contoso.com',
      port: 443,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'api-gateway-tls' }] },
      allowedRoutes: {
        namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['orders'] }] } },
        kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
      },
    },
  ]);
  assert.match(file(out, 'k8s/aks/api-gateway/gateway.yaml'), /^# .*Standard channel since Gateway API v1\.5\.0/m);
  const clientCa = byKind(out, 'ConfigMap').find((c) => c.metadata.name === 'mtls-client-ca');
  assert.equal(clientCa?.metadata.namespace, 'api-gateway');
  assert.deepEqual(certificateBlocks((clientCa?.data as Record<string, string>)['ca.crt'] as string), certificateBlocks(root.pem));
  // The pods' certificates are verified against the CA that issued the ingress server certificate.
  const policy = one(out, 'BackendTLSPolicy');
  assert.deepEqual(policy.spec, {
    targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
    validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }], hostname: 'orders.orders.svc' },
  });
  const route = one(out, 'HTTPRoute');
  assert.deepEqual((route.spec as Record<string, unknown>).parentRefs, [
    { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'api-gateway', namespace: 'api-gateway', sectionName: 'https' },
  ]);
  assert.ok(out.warnings.some((w) => w.includes('api-gateway/api-gateway-tls')));
});

test('gatewayApi: verifyClient optional maps to AllowInsecureFallback; off leaves validation out', () => {
  const optional = generateKubernetes(designOf(mutateReference((d) => { ingressPatch(d, 'controller', 'gatewayApi'); ingressPatch(d, 'verifyClient', 'optional'); })));
  checkOutput(optional);
  const mode = (one(optional, 'Gateway').spec as { tls: { frontend: { default: { validation: { mode: string } } } } }).tls.frontend.default.validation.mode;
  assert.equal(mode, 'AllowInsecureFallback');
  const off = generateKubernetes(designOf(mutateReference((d) => { ingressPatch(d, 'controller', 'gatewayApi'); ingressPatch(d, 'verifyClient', 'off'); })));
  checkOutput(off);
  assert.equal((one(off, 'Gateway').spec as Record<string, unknown>).tls, undefined);
  assert.equal(byKind(off, 'ConfigMap').filter((c) => c.metadata.name === 'mtls-client-ca').length, 0);
});

test('gatewayApi with an http backend has no BackendTLSPolicy; a public server certificate means system roots', () => {
  const http = generateKubernetes(designOf(mutateReference((d) => { ingressPatch(d, 'controller', 'gatewayApi'); ingressPatch(d, 'backendProtocol', 'http'); })));
  checkOutput(http);
  assert.equal(byKind(http, 'BackendTLSPolicy').length, 0);
  const pub = generateKubernetes(
    designOf(mutateReference((d) => { ingressPatch(d, 'controller', 'gatewayApi'); setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'external'); })),
  );
  checkOutput(pub);
  assert.deepEqual((one(pub, 'BackendTLSPolicy').spec as { validation: unknown }).validation, { wellKnownCACertificates: 'System', hostname: 'orders.orders.svc' });
});

test('gatewayApi passthrough: a TLS listener and a TLSRoute, no frontend validation, warnings', () => {
  const out = generateKubernetes(designOf(mutateReference((d) => { ingressPatch(d, 'controller', 'gatewayApi'); ingressPatch(d, 'backendProtocol', 'passthrough'); })));
  checkOutput(out);
  const spec = one(out, 'Gateway').spec as { listeners: Array<Record<string, unknown>>; tls?: unknown };
  assert.equal(spec.tls, undefined);
  assert.equal(spec.listeners[0]?.protocol, 'TLS');
  assert.deepEqual(spec.listeners[0]?.tls, { mode: 'Passthrough' });
  assert.deepEqual((one(out, 'TLSRoute').spec as { hostnames: string[] }).hostnames, ['orders.internal.contoso.com']);
  assert.equal(byKind(out, 'HTTPRoute').length, 0);
  assert.ok(out.warnings.some((w) => w.includes('mutual TLS must end in the pods')));
  assert.ok(out.warnings.some((w) => w.includes('TLSRoute')));
});

// ---------------------------------------------------------------- names, several clusters, annotations

test('odd ids and several namespaces still give DNS-1123 names and one Namespace each', () => {
  const text = mutateReference((d) => {
    append(d, 'nodes', {
      id: 'k8s--prod-2-',
      type: 'aksCluster',
      properties: {
        ingress: { controller: 'gatewayApi', hostName: 'edge.internal.contoso.com', serverCertificate: 'ingress-tls' },
        services: [
          { name: 'a', namespace: 'team-1', port: 8443, path: '/a' },
          { name: 'b0', namespace: 'team-1', path: '/b' },
          { name: 'c-9', namespace: 'x9' },
        ],
      },
    });
    append(d, 'edges', { from: 'apim', to: 'k8s--prod-2-', type: 'mtls', properties: { clientCertificate: 'apim-client' } });
  });
  const out = generateKubernetes(designOf(text));
  checkOutput(out);
  assert.ok(out.files.some((f) => f.path === 'k8s/k8s--prod-2/kustomization.yaml'));
  const root = readYaml(file(out, 'k8s/kustomization.yaml')) as unknown as { resources: string[] };
  assert.deepEqual(root.resources, ['aks', 'k8s--prod-2']);
  const namespaces = byKind(out, 'Namespace').map((n) => n.metadata.name).sort();
  assert.deepEqual(namespaces, ['api-gateway', 'orders', 'team-1', 'x9']);
  const gw = one(out, 'Gateway').spec as { listeners: Array<{ allowedRoutes: { namespaces: { selector: { matchExpressions: Array<{ values: string[] }> } } } }> };
  assert.deepEqual(gw.listeners[0]?.allowedRoutes.namespaces.selector.matchExpressions[0]?.values, ['team-1', 'x9']);
});

test('names from a design that bypassed the schema are still DNS-1123 labels', () => {
  const raw = parseYaml(REFERENCE) as DesignInput;
  const design = DesignSchema.parse(raw);
  const aks = design.nodes.find((n) => n.type === 'aksCluster');
  assert.ok(aks?.type === 'aksCluster');
  (aks.properties.services as unknown[]).push({ name: 'Orders_V2', namespace: 'Team.A', port: 443, path: '/v2' }, { name: '--', namespace: '__', port: 443, path: '/x' });
  const out = generateKubernetes(design);
  checkOutput(out);
});

test('two services with the same name in one namespace: the second is left out, with a warning', () => {
  const design = designOf(REFERENCE);
  const aks = design.nodes.find((n) => n.type === 'aksCluster');
  assert.ok(aks?.type === 'aksCluster');
  aks.properties.services.push({ ...aks.properties.services[0]!, path: '/other' });
  const out = generateKubernetes(design);
  checkOutput(out);
  assert.equal(byKind(out, 'Ingress').length, 1);
  assert.ok(out.warnings.some((w) => w.includes('twice')));
});

test('extra annotations are kept; one that contradicts the design loses, with a warning', () => {
  const text = mutateReference((d) =>
    ingressPatch(d, 'annotations', { [`${NGINX}/auth-tls-verify-client`]: 'off', [`${NGINX}/proxy-body-size`]: '8m', 'example.com/flag': 'yes' }),
  );
  const out = generateKubernetes(designOf(text));
  checkOutput(out);
  const a = annotations(one(out, 'Ingress'));
  assert.equal(a[`${NGINX}/auth-tls-verify-client`], 'on');
  assert.equal(a[`${NGINX}/proxy-body-size`], '8m');
  assert.equal(a['example.com/flag'], 'yes');
  assert.match(file(out, 'k8s/aks/orders/orders-ingress.yaml'), /example\.com\/flag: "yes"/);
  assert.ok(out.warnings.some((w) => w.includes('conflicts')));
  // Sorted keys: the text does not depend on the order the design lists them in.
  const keys = Object.keys(a);
  assert.deepEqual(keys, [...keys].sort());
});

test('a cluster without services gets no folder; a design without clusters gets no files', () => {
  const none = generateKubernetes(designOf(mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'services'], []))));
  assert.deepEqual(none.files, []);
  assert.ok(none.warnings.some((w) => w.includes('no services')));
  const blank = designOf('apiVersion: gatewright/v1\nkind: Architecture\nmetadata: { name: empty, location: westeurope }\nnodes: []\n');
  assert.deepEqual(generateKubernetes(blank), { files: [], warnings: [] });
});

test('a cluster without ingress hostName or server certificate still validates, and says what is missing', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName']);
    deleteAt(d, ['nodes', 'aks', 'properties', 'ingress', 'serverCertificate']);
  });
  const out = generateKubernetes(designOf(text));
  checkOutput(out);
  const spec = one(out, 'Ingress').spec as { tls: Array<Record<string, unknown>>; rules: Array<Record<string, unknown>> };
  assert.deepEqual(spec.tls, [{ secretName: 'ingress-tls' }]);
  assert.equal(spec.rules[0]?.host, undefined);
  assert.ok(out.warnings.some((w) => w.includes('no ingress hostName')));
  assert.ok(out.warnings.some((w) => w.includes('the design names none')));
});

test('HTTPS to the pods through NGINX verifies their certificates against the platform CA, on both NGINX controllers', async () => {
  const root = await rootCa('Contoso Internal Root');
  for (const controller of ['appRouting', 'ingressNginx']) {
    const out = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'controller', controller))), { caPems: new Map([['internal-ca', root.pem]]) });
    checkOutput(out);
    const a = annotations(one(out, 'Ingress'));
    assert.equal(a[`${NGINX}/proxy-ssl-verify`], 'on', `${controller}: proxy_ssl_verify on`);
    assert.equal(a[`${NGINX}/proxy-ssl-secret`], 'orders/backend-ca');
    assert.equal(a[`${NGINX}/proxy-ssl-name`], 'orders.orders.svc', 'the name the pods certificate must carry');
    const secret = byKind(out, 'Secret').find((x) => x.metadata.name === 'backend-ca');
    assert.ok(secret, `${controller}: the backend CA Secret`);
    assert.deepEqual(certificateBlocks((secret.stringData as Record<string, string>)['ca.crt']!), certificateBlocks(root.pem), 'the CA that issued the ingress certificate');
  }
});

test('HTTPS to the pods: a public ingress certificate names no CA to verify them with (warning); HTTP has no proxy-ssl', () => {
  const external = generateKubernetes(designOf(mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'external'))));
  assert.deepEqual(Object.keys(annotations(one(external, 'Ingress'))).filter((k) => k.includes('proxy-ssl')), []);
  assert.ok(external.warnings.some((w) => w.includes('without verifying their certificates')));
  const http = generateKubernetes(designOf(mutateReference((d) => ingressPatch(d, 'backendProtocol', 'http'))));
  assert.deepEqual(Object.keys(annotations(one(http, 'Ingress'))).filter((k) => k.includes('proxy-ssl')), []);
  assert.doesNotMatch(file(http, 'k8s/aks/kustomization.yaml'), /backend-ca/);
});
