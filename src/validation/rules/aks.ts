/**
 * The AKS cluster and its ingress: control-plane exposure and the authorized ranges AKS accepts, identity, add-ons,
 * upgrades, the node VM size, the ingress controller, its annotations and the hop to the pods, images, workload
 * identity and operator access.
 * Certificate chains and trust are checked elsewhere (trust rules).
 */
import { AKS_CLUSTER_RULES } from './aks-cluster.js';
import { AKS_INGRESS_RULES } from './aks-ingress.js';
import type { Rule } from '../rule.js';

export const AKS_RULES: Rule[] = [...AKS_CLUSTER_RULES, ...AKS_INGRESS_RULES];
