/** Generated files of the reference design, mutated the way a generator mistake would change them, and traced. */
import assert from 'node:assert/strict';
import { parseDesign } from '../../src/document/parse.js';
import { generate, type GeneratedFile } from '../../src/generators/generate.js';
import type { Design } from '../../src/schemas/design.js';
import { traceRequests } from '../../src/trace/trace.js';
import type { Check, Hop, TraceReport } from '../../src/trace/types.js';
import { REFERENCE } from '../helpers/reference.js';

/** Stand-in CA certificates (base64 bodies only: the trace compares them, nothing parses them as X.509). */
export const CA_PEMS = new Map([
  ['internal-ca', '-----BEGIN CERTIFICATE-----\nSU5URVJOQUwtQ0EtU1RBTkQtSU4=\n-----END CERTIFICATE-----\n'],
  ['other-ca', '-----BEGIN CERTIFICATE-----\nT1RIRVItQ0EtU1RBTkQtSU4=\n-----END CERTIFICATE-----\n'],
]);
export const OTHER_CA_DER = 'T1RIRVItQ0EtU1RBTkQtSU4=';

export interface Generated {
  readonly design: Design;
  readonly files: GeneratedFile[];
}

export function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.equal(parsed.complete, true, JSON.stringify(parsed.findings.slice(0, 3)));
  return parsed.design as Design;
}

export function generated(text: string = REFERENCE, caPems: ReadonlyMap<string, string> = CA_PEMS): Generated {
  const design = designOf(text);
  return { design, files: [...generate(design, { caPems }).files] };
}

export function withController(controller: 'appRouting' | 'ingressNginx' | 'gatewayApi', text: string = REFERENCE): string {
  return text.replace('controller: appRouting', `controller: ${controller}`);
}

export function trace(g: Generated, api?: string): TraceReport {
  return traceRequests({ files: g.files, design: g.design, caPems: CA_PEMS }, api === undefined ? {} : { api });
}

export function file(g: Generated, path: string): string {
  const f = g.files.find((x) => x.path === path);
  assert.ok(f, `no generated file ${path}`);
  return f.content;
}

/** The generated files with one file's text replaced. */
export function withText(g: Generated, path: string, change: (text: string) => string): Generated {
  const before = file(g, path);
  const after = change(before);
  assert.notEqual(after, before, `the mutation of ${path} changed nothing`);
  return { design: g.design, files: g.files.map((f) => (f.path === path ? { path, content: after } : f)) };
}

/** The generated files without one file. */
export function without(g: Generated, path: string): Generated {
  file(g, path);
  return { design: g.design, files: g.files.filter((f) => f.path !== path) };
}

/** The generated files with a JSON file changed in place (written back as the generator writes JSON). */
export function withJson(g: Generated, path: string, change: (data: Record<string, unknown>) => void): Generated {
  return withText(g, path, (text) => {
    const data = JSON.parse(text) as Record<string, unknown>;
    change(data);
    return `${JSON.stringify(data, null, 2)}\n`;
  });
}

type Resource = { type: string; name: string; properties: Record<string, any> } & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The resources of a type in a template (nested deployments' too). */
export function resources(template: Record<string, unknown>, type: string): Resource[] {
  const out: Resource[] = [];
  const walk = (list: unknown): void => {
    for (const r of Array.isArray(list) ? (list as Resource[]) : []) {
      if (r.type === type) out.push(r);
      if (r.type === 'Microsoft.Resources/deployments') walk(r.properties?.template?.resources);
    }
  };
  walk(template.resources);
  return out;
}

export function one(template: Record<string, unknown>, type: string, pick: (r: Resource) => boolean = () => true): Resource {
  const found = resources(template, type).filter(pick);
  assert.ok(found.length >= 1, `no ${type}`);
  return found[0]!;
}

export function path0(report: TraceReport): TraceReport['paths'][number] {
  assert.equal(report.paths.length, 1, `one path expected: ${report.notes.join(' ')}`);
  return report.paths[0]!;
}

export function hopOf(report: TraceReport, id: Hop['id']): Hop {
  const h = path0(report).hops.find((x) => x.id === id);
  assert.ok(h, `no hop ${id}`);
  return h;
}

export function checkOf(report: TraceReport, id: string): Check {
  const hopId = id.split('.')[0] as Hop['id'];
  const c = hopOf(report, hopId).checks.find((x) => x.id === id);
  assert.ok(c, `no check ${id} in hop ${hopId}`);
  return c;
}

/** The 1-based line of the first occurrence of `needle` in a generated file. */
export function lineOf(g: Generated, path: string, needle: string): number {
  const text = file(g, path);
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${path}`);
  return text.slice(0, at).split('\n').length;
}

/** Asserts a check fails, in its hop, with evidence at `path` on the line holding `needle`. */
export function assertFailsAt(g: Generated, id: string, path: string, needle: string): Check {
  const report = trace(g);
  const c = checkOf(report, id);
  assert.equal(c.verdict, 'fail', `${id}: ${c.message}`);
  assert.equal(hopOf(report, id.split('.')[0] as Hop['id']).verdict, 'fail');
  assert.ok(c.fix && c.fix.length > 0, `${id} says what to change`);
  const line = lineOf(g, path, needle);
  assert.ok(
    c.evidence.some((e) => e.file === path && e.line === line),
    `${id} evidence ${JSON.stringify(c.evidence.map((e) => `${e.file}:${e.line}`))} does not name ${path}:${line} (${needle})`,
  );
  return c;
}

export function assertPasses(g: Generated, id: string): Check {
  const c = checkOf(trace(g), id);
  assert.equal(c.verdict, 'pass', `${id}: ${c.message}`);
  assert.ok(c.evidence.length > 0, `${id} has evidence`);
  return c;
}
