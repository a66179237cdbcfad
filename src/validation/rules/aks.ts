import type { Rule } from '../rule.js';

export const AKS_RULES: Rule[] = [];
