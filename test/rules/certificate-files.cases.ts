import type { RuleCase } from './case.js';

export const CERTIFICATE_FILE_CASES: RuleCase[] = [];
