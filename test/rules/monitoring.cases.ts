import type { RuleCase } from './case.js';

export const MONITORING_CASES: RuleCase[] = [];
