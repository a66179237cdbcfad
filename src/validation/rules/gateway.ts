import type { Rule } from '../rule.js';

export const GATEWAY_RULES: Rule[] = [];
