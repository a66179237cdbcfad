/** Every rule the validator runs, in id order. */
import type { Rule, RuleInfo } from '../rule.js';
import { AKS_RULES } from './aks.js';
import { APIM_RULES } from './apim.js';
import { CERTIFICATE_FILE_RULES } from './certificate-files.js';
import { DATA_RULES } from './data.js';
import { DOCUMENT_RULES } from './document.js';
import { GATEWAY_RULES } from './gateway.js';
import { GENERATION_RULES } from './generation.js';
import { GRAPH_RULES } from './graph.js';
import { KUBERNETES_RULES } from './kubernetes.js';
import { LIMIT_RULES } from './limits.js';
import { MONITORING_RULES } from './monitoring.js';
import { REACHABILITY_RULES } from './reachability.js';
import { REGION_RULES } from './regions.js';
import { APIM_REACHABILITY_RULES } from './apim-reachability.js';
import { PLATFORM_RULES } from './platform.js';
import { TRUST_RULES } from './trust.js';
import { WAF_RULES } from './waf.js';
import { X509_CONSTRAINT_RULES } from './x509-constraints.js';

export const RULES: readonly Rule[] = [
  ...GRAPH_RULES,
  ...GATEWAY_RULES,
  ...APIM_RULES,
  ...AKS_RULES,
  ...DATA_RULES,
  ...MONITORING_RULES,
  ...TRUST_RULES,
  ...CERTIFICATE_FILE_RULES,
  ...GENERATION_RULES,
  ...REGION_RULES,
  ...WAF_RULES,
  ...LIMIT_RULES,
  ...KUBERNETES_RULES,
  ...REACHABILITY_RULES,
  ...X509_CONSTRAINT_RULES,
  ...APIM_REACHABILITY_RULES,
  ...PLATFORM_RULES,
].sort((a, b) => a.id.localeCompare(b.id));

/** Every rule id a finding can carry, with its description. */
export const RULE_CATALOG: readonly RuleInfo[] = [...DOCUMENT_RULES, ...RULES];
