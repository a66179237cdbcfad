/**
 * What a trace says about one request path, hop by hop. This is the stable JSON of `gatewright trace --format json`
 * (version 1, documented in the README): add fields, never rename or remove them.
 */

/** A check's outcome: proven by the files, refuted by them, or settled only by what the deployment fills in. */
export type Verdict = 'pass' | 'fail' | 'unknown-until-deployed';

export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'unknown-until-deployed'];

/** Where a check read a value: a generated file (path relative to the output folder), 1-based line and column. */
export interface Evidence {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The value read there, as text. */
  readonly value: string;
}

export interface Check {
  /** Stable id, `<hop>.<check>` (for example `gateway-apim.probe`). */
  readonly id: string;
  readonly title: string;
  readonly verdict: Verdict;
  /** What was found, in one or two sentences. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /** unknown-until-deployed: what the outcome depends on (a parameter, a file to fill, an address Azure assigns). */
  readonly dependsOn?: string;
  /** fail: what to change in the design. */
  readonly fix?: string;
}

export type HopId = 'entry' | 'gateway-apim' | 'apim' | 'apim-ingress' | 'ingress-service' | 'no-bypass';

export const HOP_IDS: readonly HopId[] = ['entry', 'gateway-apim', 'apim', 'apim-ingress', 'ingress-service', 'no-bypass'];

export interface Hop {
  readonly id: HopId;
  readonly title: string;
  /** Ids of the design's nodes and edges this hop is about (for the canvas); empty when the design has none. */
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
  /** The worst verdict of its checks. */
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
}

export interface TracePath {
  /** The API's name in API Management (the `--api` filter). */
  readonly api: string;
  /** The request as a caller makes it, e.g. `https://api.contoso.com/orders`. */
  readonly request: string;
  readonly verdict: Verdict;
  readonly hops: readonly Hop[];
}

export interface TraceReport {
  readonly version: 1;
  readonly verdict: Verdict;
  readonly paths: readonly TracePath[];
  /** Why no path was traced, or what was left out (an API Management without APIs, no Application Gateway). */
  readonly notes: readonly string[];
}

/** fail beats unknown-until-deployed beats pass; an empty list passes. */
export function worst(verdicts: Iterable<Verdict>): Verdict {
  let out: Verdict = 'pass';
  for (const v of verdicts) {
    if (v === 'fail') return 'fail';
    if (v === 'unknown-until-deployed') out = v;
  }
  return out;
}
