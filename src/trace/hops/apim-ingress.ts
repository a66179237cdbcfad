/**
 * Hop 4, API Management to the AKS ingress over mutual TLS: the backend host resolves (private DNS zone, record,
 * link to API Management's network) to the address the ingress's internal load balancer has; API Management
 * presents a client certificate the ingress verifies (its issuer in the CA bundle the ingress reads, within the
 * verify depth); API Management validates the ingress's server certificate (names and chain to a CA in its store);
 * the network security groups let it through.
 * https://learn.microsoft.com/azure/api-management/api-management-howto-mutual-certificates
 * https://kubernetes.github.io/ingress-nginx/examples/auth/client-certs/
 * https://gateway-api.sigs.k8s.io/geps/gep-91/
 */
import { lastSegment } from '../arm.js';
import { check, describeResolved, type TraceContext } from '../context.js';
import { annotations, type GeneratedObject, type K8sObject } from '../kubernetes.js';
import { getIn } from '../locate.js';
import { valueOf, type ApiPath } from '../model.js';
import { covers, parseCidr, type Subnet } from '../network.js';
import type { Check, Evidence } from '../types.js';
import type { Backend, Policy } from './apim.js';
import { resolveHost } from './dns.js';
import { nsgCheck } from './gateway-apim.js';
import { NGINX, pinnedAddress, type IngressFront } from './ingress.js';
import { trustChecks } from './trust.js';
import type { Certificate } from '../../schemas/design.js';

export function aksSubnet(ctx: TraceContext, address: string | undefined): Subnet | undefined {
  const a = address ? parseCidr(address) : undefined;
  if (a) {
    const s = ctx.net.subnetOf(a);
    if (s) return s;
  }
  for (const c of ctx.arm.ofType('Microsoft.ContainerService/managedClusters')) {
    const s = ctx.net.subnetById(getIn(c.body, ['properties', 'agentPoolProfiles', 0, 'vnetSubnetID']));
    if (s) return s;
  }
  return undefined;
}

export function apimIngressChecks(ctx: TraceContext, path: ApiPath, backend: Backend, policy: Policy | undefined, front: IngressFront | undefined): Check[] {
  const checks: Check[] = [];
  const host = backend.host;
  if (!host || !front) {
    checks.push(check('apim-ingress.ingress', 'An ingress serves the backend host', 'fail', `No Ingress or Gateway in the manifests serves ${host ?? 'the backend host'}: the mutual TLS hop has no end.`, [backend.evidence], { fix: 'Set the ingress hostName of the aksCluster node to the host API Management calls.' }));
    return checks;
  }
  const pinned = pinnedAddress(ctx, front);
  const subnet = aksSubnet(ctx, pinned?.address);

  // DNS: the backend host resolves to the ingress's address.
  const title = `${host} resolves to the ingress's address`;
  const res = resolveHost(ctx, host, path.apim.subnet);
  if (!res.ok) {
    checks.push(check('apim-ingress.dns', title, 'fail', res.problem, [backend.evidence, ...res.evidence], { fix: res.fix }));
  } else {
    const v = res.value;
    const evs = [backend.evidence, ...res.evidence, v.evidence, pinned?.evidence];
    const zoneText = `Zone ${res.zone} (linked to ${path.apim.subnet?.vnet}) holds ${res.record}`;
    if (pinned && subnet && !subnet.prefixes.some((c) => { const a = parseCidr(pinned.address); return a !== undefined && covers(c, a); })) {
      checks.push(check('apim-ingress.dns', title, 'fail', `The manifests pin the ingress to ${pinned.address}, outside the cluster's subnet ${subnet.prefixText}: the load balancer cannot get it.`, evs, { fix: 'Choose an ingress address inside the AKS subnet.' }));
    } else if (v.kind === 'address') {
      if (!pinned) {
        checks.push(check('apim-ingress.dns', title, 'unknown-until-deployed', `${zoneText} = ${v.address}, but the manifests do not pin the ingress's load balancer to an address: Azure picks it when the controller's Service is created.`, evs, { dependsOn: `the ingress's internal load balancer getting ${v.address}` }));
      } else if (pinned.address === v.address) {
        checks.push(check('apim-ingress.dns', title, 'pass', `${zoneText} = ${v.address}, the address the manifests pin the ingress's load balancer to.`, evs));
      } else {
        checks.push(check('apim-ingress.dns', title, 'fail', `${zoneText} = ${v.address}, but the ingress's load balancer is pinned to ${pinned.address}: API Management connects to the wrong address.`, evs, { fix: 'Generate again so that the DNS record and the ingress address agree.' }));
      }
    } else if (v.kind === 'parameter') {
      checks.push(
        check('apim-ingress.dns', title, 'unknown-until-deployed', `${zoneText} with no address until parameter ${v.name} is given one${pinned ? ` (the manifests pin the ingress to ${pinned.address})` : '; the manifests do not pin the ingress\'s address either'}.`, evs, {
          dependsOn: pinned ? `parameter ${v.name} being set to ${pinned.address}` : `parameter ${v.name} being set to the address Azure gives the ingress's internal load balancer once the manifests are applied`,
        }),
      );
    } else if (v.kind === 'reference') {
      checks.push(check('apim-ingress.dns', title, 'unknown-until-deployed', `${zoneText}, set at deployment from ${v.text}.`, evs, { dependsOn: `${v.text} being the ingress's load balancer address` }));
    } else {
      checks.push(check('apim-ingress.dns', title, 'fail', `${zoneText} without any address: ${host} does not resolve.`, evs, { fix: 'Generate again: the record must hold the ingress address.' }));
    }
  }

  // Client certificate.
  const client = clientCertificate(ctx, path, backend, policy);
  const verify = verification(ctx, front);
  checks.push(clientCheck(ctx, client, verify));
  if (front.kind === 'ingress') checks.push(depthCheck(ctx, client, front.object));

  // Server certificate.
  const server = serverCertificate(ctx, front, host);
  const tls = (getIn(backend.resource?.body, ['properties', 'tls']) ?? {}) as Record<string, unknown>;
  const validates = tls.validateCertificateChain !== false && tls.validateCertificateName !== false;
  const anchors = path.apim.resources.flatMap((r) => {
    const list = getIn(r.body, ['properties', 'certificates']);
    return (Array.isArray(list) ? list : []).flatMap((c, i) => {
      const store = (c as { storeName?: unknown }).storeName;
      if (store !== 'Root' && store !== 'CertificateAuthority') return [];
      const data = ctx.arm.resolve(r, ['properties', 'certificates', i, 'encodedCertificate']);
      return [{ data, evidence: data?.evidence ?? ctx.arm.evidence(r, ['properties', 'certificates', i]) }];
    });
  });
  if (server.certificate && !ctx.certs.covers(server.certificate, host)) {
    checks.push(
      check('apim-ingress.server-certificate', 'API Management validates the ingress certificate', 'fail', `The ingress presents certificate "${server.certificate.id}" (${server.certificate.dnsNames.join(', ') || 'no DNS names'}), which does not cover ${host}: API Management refuses it.`, [server.evidence, backend.evidence], {
        fix: `Add ${host} to dnsNames of certificate "${server.certificate.id}".`,
      }),
    );
  } else {
    checks.push(
      ...trustChecks(ctx, {
        id: 'apim-ingress.server-certificate',
        title: 'API Management validates the ingress certificate',
        who: 'API Management',
        server: server.certificate,
        serverWhat: server.what,
        serverEvidence: server.evidence,
        anchors,
        validates,
        validatesEvidence: backend.resource ? ctx.arm.evidence(backend.resource, ['properties', 'tls']) : backend.evidence,
        fix: (ca) => `Make API Management trust ${ca}: the mtls edge's trustedCa, or the issuer of the ingress's serverCertificate.`,
      }),
    );
  }

  // NSG.
  const address = pinned ? parseCidr(pinned.address) : subnet?.prefixes[0];
  checks.push(nsgCheck(ctx, 'apim-ingress.nsg', 'Network security groups allow API Management to the ingress on 443', path.apim.subnet, subnet, address, 443, 'API Management', 'the ingress'));
  return checks;
}

interface ClientCert {
  readonly certificate: Certificate | undefined;
  readonly what: string;
  readonly evidence: Evidence[];
}

function clientCertificate(ctx: TraceContext, path: ApiPath, backend: Backend, policy: Policy | undefined): ClientCert {
  const ids: { name: string; evidence: Evidence }[] = [];
  const creds = getIn(backend.resource?.body, ['properties', 'credentials', 'certificateIds']);
  if (backend.resource && Array.isArray(creds)) {
    creds.forEach((c, i) => {
      const m = typeof c === 'string' ? /'([^']+)'\)\]$/.exec(c) : null;
      if (m) ids.push({ name: m[1]!, evidence: ctx.arm.evidence(backend.resource!, ['properties', 'credentials', 'certificateIds', i]) });
    });
  }
  const inPolicy = policy ? /<authentication-certificate\b[^>]*\bcertificate-id="([^"]+)"/.exec(policy.xml) : null;
  if (inPolicy && policy) ids.push({ name: inPolicy[1]!, evidence: ctx.policyEvidence(policy.xml, inPolicy[0], ctx.arm.evidence(policy.resource, ['properties', 'value'])) });
  for (const id of ids) {
    const r = ctx.children('Microsoft.ApiManagement/service/certificates', path.apim.name).find((c) => lastSegment(c.name) === id.name);
    if (!r) continue;
    const uri = ctx.arm.resolve(r, ['properties', 'keyVault', 'secretIdentifier']);
    const value = valueOf(uri);
    const named = value ? ctx.certs.byKeyVaultUri(value) : undefined;
    return { certificate: named?.certificate, what: uri ? `client certificate "${id.name}" (${describeResolved(uri)})` : `client certificate "${id.name}"`, evidence: [id.evidence, ...(uri ? [uri.evidence] : [])] };
  }
  return { certificate: undefined, what: 'no client certificate', evidence: [backend.evidence] };
}

interface Verification {
  readonly mode: string | undefined;
  readonly required: boolean;
  readonly modeEvidence: Evidence;
  readonly ref: { kind: 'Secret' | 'ConfigMap'; namespace: string | undefined; name: string; evidence: Evidence } | undefined;
}

function verification(ctx: TraceContext, front: IngressFront): Verification {
  const o = front.object;
  if (front.kind === 'ingress') {
    const a = annotations(o);
    const mode = a[`${NGINX}/auth-tls-verify-client`];
    const secret = a[`${NGINX}/auth-tls-secret`];
    const [ns, name] = secret?.includes('/') ? secret.split('/', 2) : [o.namespace, secret];
    return {
      mode,
      required: mode === 'on',
      modeEvidence: ctx.k8s.evidence(o, ['metadata', 'annotations', `${NGINX}/auth-tls-verify-client`]),
      ref: name ? { kind: 'Secret', namespace: ns, name, evidence: ctx.k8s.evidence(o, ['metadata', 'annotations', `${NGINX}/auth-tls-secret`]) } : undefined,
    };
  }
  const paths: (string | number)[][] = [
    ['spec', 'tls', 'frontend', 'default', 'validation'],
    ['spec', 'listeners', front.listenerIndex, 'tls', 'frontendValidation'],
  ];
  for (const p of paths) {
    const v = getIn(o.data, p) as { caCertificateRefs?: unknown[]; mode?: unknown } | undefined;
    const ref = v?.caCertificateRefs?.[0] as { kind?: unknown; name?: unknown; namespace?: unknown } | undefined;
    if (!v || !ref || typeof ref.name !== 'string') continue;
    const mode = typeof v.mode === 'string' ? v.mode : 'AllowValidOnly';
    return {
      mode,
      required: mode === 'AllowValidOnly',
      modeEvidence: ctx.k8s.evidence(o, [...p, 'mode'], mode),
      ref: { kind: ref.kind === 'Secret' ? 'Secret' : 'ConfigMap', namespace: typeof ref.namespace === 'string' ? ref.namespace : o.namespace, name: ref.name, evidence: ctx.k8s.evidence(o, [...p, 'caCertificateRefs', 0, 'name']) },
    };
  }
  return { mode: undefined, required: false, modeEvidence: ctx.k8s.evidence(o, ['spec']), ref: undefined };
}

const CLIENT_TITLE = 'The ingress verifies API Management\'s client certificate';

function clientCheck(ctx: TraceContext, client: ClientCert, v: Verification): Check {
  const id = 'apim-ingress.client-certificate';
  if (!v.required || !v.ref) {
    return check(id, CLIENT_TITLE, 'fail', `The ingress does not require a verified client certificate (${v.mode ? `mode ${v.mode}` : 'no client verification'}): any caller inside the network reaches the workload.`, [v.modeEvidence, ...client.evidence], {
      fix: 'Set verifyClient: "on" on the aksCluster ingress and connect API Management with an mtls edge.',
    });
  }
  if (!client.certificate) {
    const none = client.what === 'no client certificate';
    return none
      ? check(id, CLIENT_TITLE, 'fail', 'API Management presents no client certificate to the backend: the ingress refuses the handshake.', [v.modeEvidence, ...client.evidence], { fix: 'Set clientCertificate on the mtls edge from API Management to the aksCluster.' })
      : check(id, CLIENT_TITLE, 'unknown-until-deployed', `API Management presents ${client.what}, which is not a certificate of the design.`, [v.modeEvidence, ...client.evidence], { dependsOn: `${client.what} being issued by a CA in ${v.ref.kind} ${v.ref.namespace}/${v.ref.name}` });
  }
  const cert = client.certificate;
  const issuer = ctx.certs.issuerOf(cert.id) ?? cert.issuer;
  const data = ctx.k8s.findData(v.ref.kind, v.ref.namespace, v.ref.name);
  const evs = [v.modeEvidence, v.ref.evidence, ...client.evidence];
  if (!data) {
    return check(id, CLIENT_TITLE, 'fail', `The ingress reads its CA bundle from ${v.ref.kind} ${v.ref.namespace}/${v.ref.name}, which no manifest or kustomization creates: NGINX rejects the ingress configuration.`, evs, { fix: 'Generate again: the CA bundle of the ingress is generated with it.' });
  }
  if (!('files' in data) && !ctx.k8s.applied(data.file.path)) {
    return check(id, CLIENT_TITLE, 'fail', `${v.ref.kind} ${v.ref.namespace}/${v.ref.name} is in ${data.file.path}, which no kustomization lists: kubectl apply -k never creates it, and the ingress has no CA to verify with.`, [...evs, ctx.k8s.evidence(data, ['metadata', 'name'])], {
      fix: 'Generate again: every manifest must be listed in its cluster folder\'s kustomization.yaml.',
    });
  }
  const bundle = caBundleOf(ctx, data);
  const where = `ca.crt of ${v.ref.kind} ${v.ref.namespace}/${v.ref.name}`;
  if (bundle.kind === 'missing-key') {
    return check(id, CLIENT_TITLE, 'fail', `${v.ref.kind} ${v.ref.namespace}/${v.ref.name} has no key ca.crt: the ingress finds no CA to verify with.`, [...evs, bundle.evidence], { fix: 'Generate again: the bundle must be under the key ca.crt.' });
  }
  if (bundle.kind === 'file-to-fill') {
    return check(id, CLIENT_TITLE, 'unknown-until-deployed', `API Management presents "${cert.id}", issued by "${issuer}"; the ingress verifies against ${where}, read from ${bundle.file}, which the generated files do not hold.`, [...evs, bundle.evidence], {
      dependsOn: `${bundle.file} holding the certificate of CA "${issuer}" (gatewright certs dev, or the CA's public PEM, before kubectl apply)`,
    });
  }
  const { ids } = ctx.certs.casOfPem(bundle.pem);
  const pemEv: Evidence = { ...bundle.evidence, value: ids.length ? `CA ${ids.join(', ')}` : 'no CA of the design' };
  if (ids.some((ca) => ctx.certs.anchors(ca, cert.id))) {
    return check(id, CLIENT_TITLE, 'pass', `API Management presents "${cert.id}", issued by "${issuer}"; the ingress requires a client certificate and verifies it against ${where}, which holds CA "${ids.join('", "')}".`, [...evs, pemEv]);
  }
  return check(id, CLIENT_TITLE, 'fail', `API Management presents "${cert.id}", issued by "${issuer}", but ${where} holds ${ids.length ? `CA "${ids.join('", "')}"` : 'no CA of the design'}: the ingress rejects the handshake.`, [...evs, pemEv], {
    fix: `Issue the mtls edge's clientCertificate from a CA the ingress trusts, or set the aksCluster ingress clientCa to "${issuer}".`,
  });
}

export type CaBundle =
  | { readonly kind: 'pem'; readonly pem: string; readonly evidence: Evidence }
  | { readonly kind: 'file-to-fill'; readonly file: string; readonly evidence: Evidence }
  | { readonly kind: 'missing-key'; readonly evidence: Evidence };

/** The PEM text under key ca.crt of a Secret or ConfigMap: inline in its manifest, or the file its generator reads. */
export function caBundleOf(ctx: TraceContext, data: GeneratedObject | K8sObject): CaBundle {
  if ('files' in data) {
    const file = data.files.get('ca.crt');
    if (!file) return { kind: 'missing-key', evidence: data.evidence };
    const pem = ctx.files.get(file);
    return pem === undefined ? { kind: 'file-to-fill', file, evidence: data.evidence } : { kind: 'pem', pem, evidence: { file, line: 1, column: 1, value: file } };
  }
  for (const field of ['stringData', 'data'] as const) {
    const raw = getIn(data.data, [field, 'ca.crt']);
    if (typeof raw !== 'string') continue;
    // A Secret's data is base64; a ConfigMap's data and a Secret's stringData are the text itself.
    const pem = field === 'data' && data.kind === 'Secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    return { kind: 'pem', pem, evidence: ctx.k8s.evidence(data, [field, 'ca.crt']) };
  }
  return { kind: 'missing-key', evidence: ctx.k8s.evidence(data, ['metadata', 'name']) };
}

function depthCheck(ctx: TraceContext, client: ClientCert, ingress: K8sObject): Check {
  const key = `${NGINX}/auth-tls-verify-depth`;
  const raw = annotations(ingress)[key];
  const depth = raw === undefined ? 1 : Number(raw);
  const ev = ctx.k8s.evidence(ingress, ['metadata', 'annotations', key], raw ?? '(absent: 1)');
  if (!client.certificate) return check('apim-ingress.verify-depth', 'Verify depth fits the client chain', 'unknown-until-deployed', `Verify depth ${depth}; the client certificate's chain is not known.`, [ev], { dependsOn: 'the chain of the client certificate API Management presents' });
  const needed = ctx.certs.verifyDepth(client.certificate.id);
  return depth >= needed
    ? check('apim-ingress.verify-depth', 'Verify depth fits the client chain', 'pass', `Verify depth ${depth} covers the chain of "${client.certificate.id}", which needs ${needed}.`, [ev])
    : check('apim-ingress.verify-depth', 'Verify depth fits the client chain', 'fail', `Verify depth ${depth} is less than the ${needed} the chain of "${client.certificate.id}" needs: NGINX rejects the certificate.`, [ev], { fix: `Set verifyDepth: ${needed} on the aksCluster ingress.` });
}

function serverCertificate(ctx: TraceContext, front: IngressFront, host: string): { certificate: Certificate | undefined; what: string; evidence: Evidence } {
  const o = front.object;
  if (front.kind === 'ingress') {
    const a = annotations(o);
    const kv = a['kubernetes.azure.com/tls-cert-keyvault-uri'];
    if (kv) {
      const named = ctx.certs.byKeyVaultUri(kv);
      return { certificate: named?.certificate, what: `Key Vault certificate ${kv}`, evidence: ctx.k8s.evidence(o, ['metadata', 'annotations', 'kubernetes.azure.com/tls-cert-keyvault-uri']) };
    }
    const tls = (getIn(o.data, ['spec', 'tls']) as unknown[] | undefined) ?? [];
    const i = tls.findIndex((t) => ((t as { hosts?: unknown[] }).hosts ?? []).some((h) => String(h).toLowerCase() === host.toLowerCase()));
    const secret = i >= 0 ? (tls[i] as { secretName?: unknown }).secretName : undefined;
    if (typeof secret === 'string') return { certificate: ctx.certs.byName(secret), what: `Secret ${o.namespace}/${secret}`, evidence: ctx.k8s.evidence(o, ['spec', 'tls', i, 'secretName']) };
    return { certificate: undefined, what: `no TLS entry for ${host}`, evidence: ctx.k8s.evidence(o, ['spec', 'tls']) };
  }
  const p = ['spec', 'listeners', front.listenerIndex, 'tls', 'certificateRefs', 0, 'name'];
  const name = getIn(o.data, p);
  if (typeof name === 'string') return { certificate: ctx.certs.byName(name), what: `Secret ${o.namespace}/${name}`, evidence: ctx.k8s.evidence(o, p) };
  return { certificate: undefined, what: `no certificate on the listener for ${host}`, evidence: ctx.k8s.evidence(o, ['spec', 'listeners', front.listenerIndex]) };
}
