import type { Rule } from '../rule.js';

export const TRUST_RULES: Rule[] = [];
