/**
 * Local mTLS rehearsal: the public API. plan.ts (pure) says which handshakes each https / mtls edge gets and how both
 * sides are configured; run.ts runs them on loopback; report.ts prints them. src/workspace/rehearsal.ts rehearseDesign reads
 * the development certificates and does all three.
 */
export { CASE_TITLES, planRehearsal, WRONG_HOST, wrongHostFor } from './plan.js';
export type {
  CaseKind,
  ClientSide,
  ClientVerification,
  Judge,
  Outcome,
  PlannedCase,
  PlannedEdge,
  RehearsalPlan,
  ServerSide,
  TlsVersion,
  TrustStore,
  UnplannedEdge,
} from './plan.js';
export { REASON_TEXT, reasonOfClientCertificateError, reasonOfServerCertificateError, reasonOfTransportError, type Reason } from './reasons.js';
export {
  DEFAULT_TIMEOUT_MS,
  handshake,
  missingMaterials,
  RehearsalKit,
  RehearsalSetupError,
  runRehearsal,
  unplannedResult,
  type CaseResult,
  type HandshakeOutcome,
  type RehearsalMaterial,
  type RehearsalMaterials,
  type RehearsalOptions,
  type RehearsalReport,
} from './run.js';
export { formatRehearsalJson, formatRehearsalText, REHEARSE_FORMATS, rehearsalJson, type RehearsalJson, type RehearseFormat } from './report.js';
