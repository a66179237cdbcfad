import type { Rule } from '../rule.js';

export const CERTIFICATE_FILE_RULES: Rule[] = [];
