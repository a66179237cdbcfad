/**
 * The Ingress of one service behind an NGINX controller (the AKS application routing add-on or the
 * community ingress-nginx), with client-certificate verification as the design says (ingress-nginx
 * annotations `auth-tls-*`: docs/user-guide/nginx-configuration/annotations.md), and with backendProtocol https the
 * pods' certificates verified (`proxy-ssl-secret`, `proxy-ssl-verify`, `proxy-ssl-name`, `proxy-ssl-server-name`:
 * kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#backend-certificate-authentication).
 */
import type { IngressSchema, ServiceSchema } from '../../schemas/design.js';
import type { z } from 'zod';
import type { ClusterOutput } from './cluster.js';

type Ingress = z.infer<typeof IngressSchema>;
type Service = z.infer<typeof ServiceSchema>;

const NGINX = 'nginx.ingress.kubernetes.io';
export const KEYVAULT_URI_ANNOTATION = 'kubernetes.azure.com/tls-cert-keyvault-uri';

export interface IngressPlan {
  readonly name: string;
  readonly namespace: string;
  readonly service: Service;
  readonly ingress: Ingress;
  readonly ingressClassName: string;
  readonly host: string | undefined;
  /** `<namespace>/<secret>` of the `ca.crt` Secret; undefined when client certificates are not verified. */
  readonly clientCaSecret: string | undefined;
  /** The server certificate Secret; undefined with TLS passthrough (the pods terminate TLS). */
  readonly tlsSecretName: string | undefined;
  /** Versionless Key Vault URI the app routing add-on syncs the server certificate from. */
  readonly keyVaultUri: string | undefined;
  /** HTTPS to the pods, verified: the `ca.crt` Secret, the name their certificate must carry, the chain depth. */
  readonly backendVerification?: { readonly secret: string; readonly name: string; readonly depth: number } | undefined;
  /** Header comment lines. */
  readonly comment: readonly string[];
}

/** The annotations the design implies; they win over the design's extra `annotations`. */
export function ingressAnnotations(plan: IngressPlan): Record<string, string> {
  const a: Record<string, string> = {};
  const { ingress } = plan;
  if (ingress.backendProtocol === 'passthrough') {
    // Passthrough works at layer 4: every other annotation on this Ingress is ignored, auth-tls included.
    a[`${NGINX}/ssl-passthrough`] = 'true';
    return a;
  }
  if (plan.clientCaSecret) {
    a[`${NGINX}/auth-tls-verify-client`] = ingress.verifyClient;
    a[`${NGINX}/auth-tls-secret`] = plan.clientCaSecret;
    a[`${NGINX}/auth-tls-verify-depth`] = String(ingress.verifyDepth);
  }
  a[`${NGINX}/backend-protocol`] = ingress.backendProtocol === 'https' ? 'HTTPS' : 'HTTP';
  const verify = ingress.backendProtocol === 'https' ? plan.backendVerification : undefined;
  if (verify) {
    // Without these NGINX encrypts to the pods but accepts any certificate (proxy_ssl_verify off by default).
    a[`${NGINX}/proxy-ssl-secret`] = verify.secret;
    a[`${NGINX}/proxy-ssl-verify`] = 'on';
    a[`${NGINX}/proxy-ssl-verify-depth`] = String(verify.depth);
    a[`${NGINX}/proxy-ssl-name`] = verify.name;
    a[`${NGINX}/proxy-ssl-server-name`] = 'on';
  }
  if (plan.keyVaultUri) a[KEYVAULT_URI_ANNOTATION] = plan.keyVaultUri;
  return a;
}

export function addIngress(out: ClusterOutput, plan: IngressPlan): void {
  const generated = ingressAnnotations(plan);
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(plan.ingress.annotations)) {
    if (key in generated && generated[key] !== value) {
      out.warnings.push(
        `AKS cluster "${out.aksId}": the extra ingress annotation "${key}: ${value}" conflicts with the value the design implies ("${generated[key]}"); the generated Ingress "${plan.namespace}/${plan.name}" keeps "${generated[key]}".`,
      );
    } else {
      annotations[key] = value;
    }
  }
  Object.assign(annotations, generated);

  const host = plan.host;
  const spec: Record<string, unknown> = { ingressClassName: plan.ingressClassName };
  if (plan.tlsSecretName) spec.tls = [{ ...(host ? { hosts: [host] } : {}), secretName: plan.tlsSecretName }];
  spec.rules = [
    {
      ...(host ? { host } : {}),
      http: {
        paths: [
          {
            path: plan.service.path,
            pathType: 'Prefix',
            backend: { service: { name: plan.service.name, port: { number: plan.service.port } } },
          },
        ],
      },
    },
  ];
  out.add(
    `${plan.namespace}/${plan.name}-ingress.yaml`,
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: out.meta(plan.name, plan.namespace, annotations), spec },
    plan.comment,
  );
}
