/** Designs for the canvas unit tests: the reference design and variants, parsed by the project's own core. */
import { analyze } from '../../src/validation/analyze.js';
import type { Design } from '../../src/schemas/design.js';
import type { StateMessage } from '../../src/webview/store.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

export function designOf(text: string): Design {
  const design = analyze(text).parsed.design;
  if (!design) throw new Error('the fixture does not parse as a design');
  return design;
}

export const REF: Design = designOf(REFERENCE);

/** A state message as the host sends it. */
export function stateOf(text: string, version: number): StateMessage {
  const a = analyze(text, { now: new Date('2026-01-01T00:00:00Z') });
  const syntaxError = a.findings.some((f) => f.ruleId === 'GW001');
  return { type: 'state', version, fileName: '/w/payments.gatewright.yaml', design: syntaxError ? null : (a.parsed.design ?? null), findings: a.findings, syntaxError };
}

/** The reference design with an mTLS edge whose client certificate is a server certificate (an edge error). */
export const BROKEN_MTLS = mutateReference((doc) => setAt(doc, ['edges', 'apim-aks', 'properties', 'clientCertificate'], 'ingress-tls'));

export { REFERENCE };
