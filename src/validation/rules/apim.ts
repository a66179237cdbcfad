import type { Rule } from '../rule.js';

export const APIM_RULES: Rule[] = [];
