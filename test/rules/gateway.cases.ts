import type { RuleCase } from './case.js';

export const GATEWAY_CASES: RuleCase[] = [];
