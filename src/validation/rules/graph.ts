/**
 * The graph (GW010-GW039): ids, references between nodes, edges and certificates, connections that make sense
 * for the node types, and the Azure resource names the nodes get.
 */
import { GRAPH_STRUCTURE_RULES } from './graph-structure.js';
import { GRAPH_CONSISTENCY_RULES } from './graph-consistency.js';
import { GLOBAL_NAME_RULES } from './graph-unique-names.js';
import type { Rule } from '../rule.js';

export { setOp, fixWith, type CertificateReference, certificateReferences, list } from './graph-support.js';
export const GRAPH_RULES: Rule[] = [...GRAPH_STRUCTURE_RULES, ...GRAPH_CONSISTENCY_RULES, ...GLOBAL_NAME_RULES];
