import type { Rule } from '../rule.js';

export const DATA_RULES: Rule[] = [];
