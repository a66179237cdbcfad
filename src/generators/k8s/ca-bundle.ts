/**
 * The `ca.crt` bundles the generated manifests need: which certificates go in, and their PEM text when the
 * caller handed it in. Only CERTIFICATE blocks are ever copied out of a PEM: a private key handed in by
 * mistake never reaches a generated file.
 */
import type { Certificate } from '../../schemas/design.js';
import { caBundle, issuerChain, type TrustLookup } from '../../model/trust.js';

export interface CaBundle {
  /** The certificates of the bundle, each trusted CA followed by the CAs above it, without repeats. */
  readonly certificates: readonly Certificate[];
  /** What the design cannot name (a public CA, an unknown or looping issuer), for the README. */
  readonly unresolved: readonly string[];
  /** The bundle as PEM text, when every certificate's PEM is known and nothing is unresolved. */
  readonly pem: string | undefined;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]*?-----END CERTIFICATE-----/g;

/** The CERTIFICATE blocks of a PEM text, with normalised line ends; nothing else of it (keys included). */
export function certificateBlocks(pem: string): string[] {
  return (pem.replace(/\r\n?/g, '\n').match(CERTIFICATE_BLOCK) ?? []).map((block) =>
    block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .join('\n'),
  );
}

/** The bundle that makes a party trust the given CA ids (certificate ids, or `external` for a public CA). */
export function buildCaBundle(
  lookup: Pick<TrustLookup, 'certificates'>,
  caIds: readonly string[],
  caPems: ReadonlyMap<string, string>,
): CaBundle {
  const certificates: Certificate[] = [];
  const seen = new Set<string>();
  const unresolved: string[] = [];
  for (const caId of caIds) {
    if (caId === 'external') {
      unresolved.push('a public CA (issuer "external")');
      continue;
    }
    const { certificates: chain, complete } = caBundle(lookup, caId);
    if (chain.length === 0) unresolved.push(`certificate "${caId}", which the design does not define`);
    for (const cert of chain) {
      if (!seen.has(cert.id)) {
        seen.add(cert.id);
        certificates.push(cert);
      }
    }
    if (chain.length > 0 && !complete) {
      const top = chain[chain.length - 1]?.id ?? caId;
      const { ended } = issuerChain(lookup, caId);
      if (ended === 'external') unresolved.push(`the public CA that issued "${top}"`);
      else if (ended === 'cycle') unresolved.push(`a root for "${caId}" (its issuers loop)`);
      else unresolved.push(`the unknown issuer of "${top}"`);
    }
  }
  const blocks = certificates.map((cert) => certificateBlocks(caPems.get(cert.id) ?? ''));
  const known = unresolved.length === 0 && certificates.length > 0 && blocks.every((b) => b.length > 0);
  return { certificates, unresolved, pem: known ? `${blocks.flat().join('\n')}\n` : undefined };
}

/** How to fill a bundle file by hand: the certificates, with the workspace files the design names. */
export function describeBundle(bundle: CaBundle): string {
  const parts = bundle.certificates.map((c) => (c.file ? `"${c.id}" (${c.file})` : `"${c.id}"`));
  parts.push(...bundle.unresolved);
  return parts.join(', ');
}
