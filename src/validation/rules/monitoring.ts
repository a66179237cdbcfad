import type { Rule } from '../rule.js';

export const MONITORING_RULES: Rule[] = [];
