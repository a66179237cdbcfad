import type { RuleCase } from './case.js';

export const AKS_CASES: RuleCase[] = [];
