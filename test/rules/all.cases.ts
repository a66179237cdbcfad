import { AKS_CASES } from './aks.cases.js';
import { APIM_CASES } from './apim.cases.js';
import type { RuleCase } from './case.js';
import { loadCertificateFileCases } from './certificate-files.cases.js';
import { DATA_CASES } from './data.cases.js';
import { GATEWAY_CASES } from './gateway.cases.js';
import { GENERATION_CASES } from './generation.cases.js';
import { GRAPH_CASES } from './graph.cases.js';
import { MONITORING_CASES } from './monitoring.cases.js';
import { PLATFORM_CASES } from './platform.cases.js';
import { REACHABILITY_CASES } from './reachability.cases.js';
import { PRODUCT_CASES } from './products.cases.js';
import { TRUST_CASES } from './trust.cases.js';
import { loadX509ConstraintCases } from './x509-constraints.cases.js';

export const ALL_CASES: RuleCase[] = [
  ...GRAPH_CASES,
  ...GATEWAY_CASES,
  ...APIM_CASES,
  ...AKS_CASES,
  ...DATA_CASES,
  ...MONITORING_CASES,
  ...TRUST_CASES,
  ...GENERATION_CASES,
  ...PLATFORM_CASES,
  ...REACHABILITY_CASES,
  ...PRODUCT_CASES,
];

/** Every case, with those whose fixtures need certificates generated at test time (asynchronous: no top-level await here). */
export async function loadAllCases(): Promise<RuleCase[]> {
  return [...ALL_CASES, ...(await loadCertificateFileCases()), ...(await loadX509ConstraintCases())];
}
