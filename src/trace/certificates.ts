/**
 * What the generated files cannot say about certificates, because they only name them: a Key Vault secret
 * identifier names a certificate of the design, whose names and issuer the design gives; a trusted-root value
 * (base64 DER) or a CA bundle (PEM) is matched against the design's CA certificates when their public PEMs are known.
 */
import { anchors, dnsNameCovers, requiredVerifyDepth } from '../model/trust.js';
import type { Certificate, Design } from '../schemas/design.js';

export class CertificateFacts {
  private readonly byId = new Map<string, Certificate>();
  /** base64 DER of each CA whose PEM is known, by certificate id. */
  private readonly caDer = new Map<string, string>();

  constructor(design: Design, caPems: ReadonlyMap<string, string> = new Map()) {
    for (const c of design.certificates) if (!this.byId.has(c.id)) this.byId.set(c.id, c);
    for (const [id, pem] of caPems) {
      const first = pemBlocks(pem)[0];
      if (first) this.caDer.set(id, first);
    }
  }

  get lookup(): { certificates: ReadonlyMap<string, Certificate> } {
    return { certificates: this.byId };
  }

  get(id: string): Certificate | undefined {
    return this.byId.get(id);
  }

  /** The design certificate a Key Vault identifier (`https://<vault>/secrets|certificates/<name>[/<version>]`) names. */
  byKeyVaultUri(uri: string): { name: string; certificate: Certificate | undefined } | undefined {
    const m = /^https:\/\/[^/]+\/(?:secrets|certificates)\/([A-Za-z0-9-]+)(?:\/[A-Za-z0-9]*)?\/?$/.exec(uri);
    if (!m) return undefined;
    const name = m[1]!;
    return { name, certificate: [...this.byId.values()].find((c) => (c.secretName ?? c.id) === name) };
  }

  /** The design certificate a Kubernetes Secret holding a server certificate is named after (its id or Key Vault name). */
  byName(name: string): Certificate | undefined {
    return [...this.byId.values()].find((c) => c.id === name || c.secretName === name);
  }

  /** The CA ids whose certificate is this base64 DER. Empty when no known CA matches (or no PEM is known). */
  caOfDer(der: string): string[] {
    const clean = der.replace(/\s+/g, '');
    return [...this.caDer].filter(([, d]) => d === clean).map(([id]) => id);
  }

  /** The CA ids of the certificates of a PEM bundle, and how many blocks matched no known CA. */
  casOfPem(pem: string): { ids: string[]; unknown: number } {
    const ids: string[] = [];
    let unknown = 0;
    for (const block of pemBlocks(pem)) {
      const match = this.caOfDer(block);
      if (match.length) ids.push(...match);
      else unknown++;
    }
    return { ids, unknown };
  }

  hasPemFor(caId: string): boolean {
    return this.caDer.has(caId);
  }

  covers(cert: Certificate, host: string): boolean {
    return cert.dnsNames.some((n) => dnsNameCovers(n, host));
  }

  /** Whether CA `caId` anchors the chain of certificate `certId`. */
  anchors(caId: string, certId: string): boolean {
    return anchors(this.lookup, caId, certId);
  }

  verifyDepth(certId: string): number {
    return requiredVerifyDepth(this.lookup, certId);
  }

  /** The CA to trust for a certificate: its issuer (itself when self-signed). */
  issuerOf(certId: string): string | undefined {
    const c = this.byId.get(certId);
    if (!c) return undefined;
    return c.issuer === 'self' ? c.id : c.issuer;
  }
}

/** The base64 bodies of the CERTIFICATE blocks of a PEM text (never a key block). */
export function pemBlocks(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g)].map((m) => m[1]!.replace(/\s+/g, '')).filter((b) => b.length > 0);
}
