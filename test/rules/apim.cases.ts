import type { RuleCase } from './case.js';

export const APIM_CASES: RuleCase[] = [];
