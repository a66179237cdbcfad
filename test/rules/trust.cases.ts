import type { RuleCase } from './case.js';

export const TRUST_CASES: RuleCase[] = [];
