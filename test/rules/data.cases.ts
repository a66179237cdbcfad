import type { RuleCase } from './case.js';

export const DATA_CASES: RuleCase[] = [];
