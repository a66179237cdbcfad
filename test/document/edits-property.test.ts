/**
 * Random sequences of operations on the reference design (and on the commented and compact fixtures,
 * for other styles). After each one: the text still parses, its JS
 * value is the expected change of the model (computed here on plain objects), refused operations are
 * refused by both, and the comments of the original are all there, in order, except those of deleted
 * entries. At the end, applyOperations composes the same text from edits of the original.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { applyEdits, applyOperation, applyOperations } from '../../src/document/edits/index.js';
import { CertificateSchema, EDGE_TYPES, NODE_ID_PATTERN, NODE_TYPES } from '../../src/schemas/design.js';
import type { EditOperation, EditTarget, Path } from '../../src/schemas/operations.js';
import { REFERENCE } from '../helpers/reference.js';
import { comments, fixture, toJS } from './edits.helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the model is untyped JSON on purpose */
type Model = any;

// ---------------------------------------------------------------- the model

class Refused extends Error {}
const refuse = (why: string): never => {
  throw new Refused(why);
};

/** A deep copy with ordinary objects (fast-check builds some without a prototype). */
function plain(v: unknown): any {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const isObj = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A scalar id as the document layer reads it: strings, and numbers as their text. */
const idText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const edgeId = (e: any) => idText(e.id) ?? `${e.from}-${e.to}`;

function build(rest: Path, value: unknown): unknown {
  if (rest.length === 0) return value;
  const [seg, ...more] = rest;
  if (typeof seg === 'number') return seg === 0 ? [build(more, value)] : refuse('new list at index > 0');
  return { [seg!]: build(more, value) };
}

function setIn(root: any, path: Path, value: unknown): void {
  let cur = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const rest = path.slice(i + 1);
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number' || seg > cur.length) refuse('bad index');
      if (seg === cur.length) return void cur.push(build(rest, value));
    } else if (typeof seg !== 'string') refuse('index on a map');
    else if (!Object.hasOwn(cur, seg)) return void (cur[seg] = build(rest, value));
    const key = seg as string & number;
    if (rest.length === 0) return void (cur[key] = value);
    const child = cur[key];
    if (child === null) return void (cur[key] = build(rest, value));
    if (typeof child !== 'object') refuse('through a scalar');
    cur = child;
  }
}

function deleteIn(root: any, path: Path): void {
  let cur = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number' || seg > cur.length) refuse('bad index');
      if (seg === cur.length) return;
      if (last) return void cur.splice(seg as number, 1);
    } else {
      if (typeof seg !== 'string') refuse('index on a map');
      if (!Object.hasOwn(cur, seg)) return;
      if (last) return void delete cur[seg];
    }
    const child = cur[seg as string & number];
    if (child === null) return;
    if (typeof child !== 'object') refuse('through a scalar');
    cur = child;
  }
}

const round = (n: number) => Math.round(n) + 0;

function renameCertRefs(m: Model, from: string, to: string, keep?: any): void {
  for (const c of m.certificates ?? []) if (c !== keep && c.issuer === from) c.issuer = to;
  for (const n of m.nodes) {
    const p = n.properties;
    if (!isObj(p)) continue;
    if (p.certificate === from) p.certificate = to;
    if (isObj(p.ingress)) {
      if (p.ingress.serverCertificate === from) p.ingress.serverCertificate = to;
      if (p.ingress.clientCa === from) p.ingress.clientCa = to;
    }
  }
  for (const e of m.edges ?? []) {
    if (!isObj(e.properties)) continue;
    if (e.properties.clientCertificate === from) e.properties.clientCertificate = to;
    if (e.properties.trustedCa === from) e.properties.trustedCa = to;
  }
}

function updateCertificate(m: Model, id: string, changes: Record<string, unknown>): void {
  const cert = (m.certificates ?? []).find((c: any) => c.id === id) ?? refuse('unknown certificate');
  if (Object.hasOwn(changes, 'id')) {
    const to = changes.id;
    if (typeof to !== 'string' || !CertificateSchema.shape.id.safeParse(to).success) refuse('bad certificate id');
    if (to !== id) {
      if (m.certificates.some((c: any) => c.id === to)) refuse('certificate exists');
      renameCertRefs(m, id, to as string, Object.hasOwn(changes, 'issuer') ? cert : undefined);
      cert.id = to;
    }
  }
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'id') continue;
    if (v === null) delete cert[k];
    else cert[k] = plain(v);
  }
}

function renameNode(m: Model, id: string, newId: string): void {
  if (!NODE_ID_PATTERN.test(newId)) refuse('bad node id');
  const node = m.nodes.find((n: any) => n.id === id) ?? refuse('unknown node');
  if (newId === id) return;
  if (m.nodes.some((n: any) => n.id === newId)) refuse('node exists');
  node.id = newId;
  for (const e of m.edges ?? []) {
    if (e.from === id) e.from = newId;
    if (e.to === id) e.to = newId;
    if (isObj(e.properties) && e.properties.identity === id) e.properties.identity = newId;
  }
  for (const c of m.certificates ?? []) if (c.keyVault === id) c.keyVault = newId;
  if (isObj(m.layout) && Object.hasOwn(m.layout, id)) {
    const p = m.layout[id];
    delete m.layout[newId];
    delete m.layout[id];
    m.layout[newId] = p;
  }
}

function targetPrefix(m: Model, target: EditTarget): Path {
  if (target.kind === 'metadata') return ['metadata'];
  if (target.kind === 'document') return [];
  const section = target.kind === 'node' ? 'nodes' : target.kind === 'edge' ? 'edges' : 'certificates';
  const list: any[] = m[section] ?? [];
  const i = list.findIndex((x) => (section === 'edges' ? edgeId(x) : x.id) === target.id);
  if (i < 0) refuse('unknown target');
  return [section, i];
}

/** What the operation does to the model; throws Refused when the operation must be refused. */
function expected(m: Model, op: EditOperation): void {
  switch (op.op) {
    case 'addNode': {
      const id = op.node.id;
      if (!NODE_ID_PATTERN.test(id)) refuse('bad node id');
      if (m.nodes.some((n: any) => n.id === id)) refuse('node exists');
      m.nodes.push(plain(op.node));
      if (op.position) {
        m.layout ??= {};
        m.layout[id] = { x: round(op.position.x), y: round(op.position.y) };
      }
      return;
    }
    case 'deleteNode': {
      const i = m.nodes.findIndex((n: any) => n.id === op.id);
      if (i < 0) refuse('unknown node');
      m.nodes.splice(i, 1);
      if (m.edges) m.edges = m.edges.filter((e: any) => e.from !== op.id && e.to !== op.id);
      if (isObj(m.layout)) delete m.layout[op.id];
      return;
    }
    case 'renameNode':
      return renameNode(m, op.id, op.newId);
    case 'moveNode':
    case 'setLayout': {
      const positions = op.op === 'moveNode' ? { [op.id]: op.position } : op.positions;
      for (const id of Object.keys(positions)) if (!m.nodes.some((n: any) => n.id === id)) refuse('unknown node');
      if (Object.keys(positions).length === 0) return;
      if (!isObj(m.layout)) m.layout = {};
      for (const [id, p] of Object.entries(positions)) m.layout[id] = { x: round(p.x), y: round(p.y) };
      return;
    }
    case 'connect': {
      const e = op.edge;
      for (const end of [e.from, e.to]) if (!m.nodes.some((n: any) => n.id === end)) refuse('unknown node');
      if ((m.edges ?? []).some((x: any) => edgeId(x) === edgeId(e))) refuse('edge exists');
      m.edges ??= [];
      m.edges.push(plain(e));
      return;
    }
    case 'disconnect': {
      const i = (m.edges ?? []).findIndex((e: any) => edgeId(e) === op.id);
      if (i < 0) refuse('unknown edge');
      m.edges.splice(i, 1);
      return;
    }
    case 'setProperty': {
      const prefix = targetPrefix(m, op.target);
      if (op.target.kind === 'node' && op.path.length === 1 && op.path[0] === 'id') {
        return typeof op.value === 'string' ? renameNode(m, op.target.id, op.value) : refuse('node id not a string');
      }
      if (op.target.kind === 'certificate' && op.path.length === 1 && op.path[0] === 'id') {
        return updateCertificate(m, op.target.id, { id: op.value });
      }
      return setIn(m, [...prefix, ...op.path], plain(op.value));
    }
    case 'unsetProperty': {
      const prefix = targetPrefix(m, op.target);
      if (op.path.length === 1 && op.path[0] === 'id' && (op.target.kind === 'node' || op.target.kind === 'certificate')) refuse('id');
      return deleteIn(m, [...prefix, ...op.path]);
    }
    case 'addCertificate': {
      const c = op.certificate;
      if (!CertificateSchema.shape.id.safeParse(c.id).success) refuse('bad certificate id');
      if ((m.certificates ?? []).some((x: any) => x.id === c.id)) refuse('certificate exists');
      m.certificates ??= [];
      m.certificates.push(plain(c));
      return;
    }
    case 'updateCertificate':
      if (op.changes.id === null) refuse('id');
      return updateCertificate(m, op.id, op.changes);
    case 'removeCertificate': {
      const i = (m.certificates ?? []).findIndex((c: any) => c.id === op.id);
      if (i < 0) refuse('unknown certificate');
      m.certificates.splice(i, 1);
      return;
    }
  }
}

// ---------------------------------------------------------------- random operations

const TRICKY = ['on', 'off', 'yes', 'y', 'N', 'null', '~', 'true', '1.2', '1.3', '2035-12-31', '0o17', '0x1F', '1:20', '.inf', 'a: b', 'x # y', '#h', '- d', '*s', '&a', '!b', '@c', '%d', '`e`', '', ' lead', 'trail ', "it's", 'say "hi"', 'a,b', '[x]', '{y}', 'multi\nline', 'tab\tin', 'é ü', '<<', '='];
const text = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }));
const key = fc.oneof(fc.constantFrom('sku', 'mode', 'x', 'y', 'on', 'a b', 'tier', 'a: b', '#k', ''), fc.string({ minLength: 1, maxLength: 8 }));
const scalar = fc.oneof(text, fc.integer({ min: -5, max: 100000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(key, scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.record({ name: text, port: fc.integer({ min: 1, max: 65535 }) }), { minLength: 1, maxLength: 2 }) },
);
const index = fc.nat({ max: 3 });
const path: fc.Arbitrary<Path> = fc.oneof(
  fc.constantFrom<Path>(['label'], ['name'], ['description'], ['notAfter'], ['autoRenew'], ['id'], ['properties'], ['properties', 'sku'], ['properties', 'identity'], ['properties', 'trustedCa']),
  fc.tuple(fc.constantFrom('properties', 'tags'), key).map((p): Path => p),
  fc.tuple(fc.constant('properties'), key, key).map((p): Path => p),
  fc.tuple(fc.constantFrom('dnsNames', 'plans'), index).map((p): Path => p),
  fc.tuple(fc.constant('properties'), fc.constantFrom('plans', 'apis', 'list', 'services'), index).map((p): Path => p),
  fc.tuple(fc.constant('properties'), fc.constantFrom('apis', 'services'), index, fc.constantFrom('path', 'name', 'port')).map((p): Path => p),
  fc.tuple(fc.constant('properties'), fc.constant('ingress'), fc.constantFrom('hostName', 'clientCa', 'verifyDepth')).map((p): Path => p),
);
const point = fc.record({ x: fc.double({ min: -2000, max: 2000, noNaN: true }), y: fc.double({ min: -2000, max: 2000, noNaN: true }) });
const NEW_IDS = ['waf', 'cache', 'api-2', 'on', 'y', 'kv', 'apim', 'Bad', '9x', 'n-1'];
const CERT_IDS = ['edge-tls', 'ca-2', 'internal-ca', 'bad id', 'On'];

/** A recipe turned into an operation against the current model (picks are indexes into its lists). */
type Recipe = (m: Model) => EditOperation;

const pick = <T,>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
const nodeId = (m: Model, n: number): string => pick<string>(m.nodes.map((x: any) => x.id as string), n) ?? 'ghost';
const edgeIdAt = (m: Model, n: number): string => pick<string>((m.edges ?? []).map(edgeId), n) ?? 'ghost';
const certId = (m: Model, n: number): string => pick<string>((m.certificates ?? []).map((c: any) => c.id as string), n) ?? 'ghost';

function target(m: Model, kind: number, n: number): EditTarget {
  switch (kind % 4) {
    case 0:
      return { kind: 'metadata' };
    case 1:
      return { kind: 'node', id: nodeId(m, n) };
    case 2:
      return { kind: 'edge', id: edgeIdAt(m, n) };
    default:
      return { kind: 'certificate', id: certId(m, n) };
  }
}

const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc
    .record({ id: fc.constantFrom(...NEW_IDS), type: fc.constantFrom(...NODE_TYPES), label: fc.option(text), props: fc.option(fc.dictionary(key, scalar, { maxKeys: 2 })), at: fc.option(point) })
    .map(({ id, type, label, props, at }): Recipe => () => {
      const node: Record<string, unknown> = { id, type };
      if (label !== null) node.label = label;
      if (props !== null) node.properties = props;
      return at === null ? { op: 'addNode', node: node as { id: string; type: string } } : { op: 'addNode', node: node as { id: string; type: string }, position: at };
    }),
  fc.nat().map((n): Recipe => (m) => ({ op: 'deleteNode', id: nodeId(m, n) })),
  fc.tuple(fc.nat(), fc.constantFrom(...NEW_IDS)).map(([n, newId]): Recipe => (m) => ({ op: 'renameNode', id: nodeId(m, n), newId })),
  fc.tuple(fc.nat(), point).map(([n, position]): Recipe => (m) => ({ op: 'moveNode', id: nodeId(m, n), position })),
  fc.array(fc.tuple(fc.nat(), point), { maxLength: 4 }).map((list): Recipe => (m) => ({ op: 'setLayout', positions: Object.fromEntries(list.map(([n, p]) => [nodeId(m, n), p])) })),
  fc
    .record({ a: fc.nat(), b: fc.nat(), type: fc.constantFrom(...EDGE_TYPES), id: fc.option(fc.constantFrom('e-1', 'e-2', 'aks-kv-link')), props: fc.option(fc.dictionary(key, scalar, { maxKeys: 2 })) })
    .map(({ a, b, type, id, props }): Recipe => (m) => {
      const edge: Record<string, unknown> = { from: nodeId(m, a), to: nodeId(m, b), type };
      if (id !== null) edge.id = id;
      if (props !== null) edge.properties = props;
      return { op: 'connect', edge: edge as { from: string; to: string; type: string } };
    }),
  fc.nat().map((n): Recipe => (m) => ({ op: 'disconnect', id: edgeIdAt(m, n) })),
  fc.tuple(fc.nat(), fc.nat(), path, value).map(([k, n, p, v]): Recipe => (m) => ({ op: 'setProperty', target: target(m, k, n), path: p, value: v })),
  fc.tuple(fc.nat(), fc.nat(), path).map(([k, n, p]): Recipe => (m) => ({ op: 'unsetProperty', target: target(m, k, n), path: p })),
  fc
    .record({ id: fc.constantFrom(...CERT_IDS), role: fc.constantFrom('ca', 'server', 'client'), dns: fc.option(fc.array(text, { maxLength: 2 })) })
    .map(({ id, role, dns }): Recipe => () => ({ op: 'addCertificate', certificate: dns === null ? { id, role } : { id, role, dnsNames: dns } })),
  fc
    .tuple(fc.nat(), fc.dictionary(fc.constantFrom('id', 'issuer', 'keyVault', 'notAfter', 'autoRenew', 'dnsNames', 'secretName'), fc.oneof(value, fc.constantFrom(...CERT_IDS)), { maxKeys: 3 }))
    .map(([n, changes]): Recipe => (m) => ({ op: 'updateCertificate', id: certId(m, n), changes })),
  fc.nat().map((n): Recipe => (m) => ({ op: 'removeCertificate', id: certId(m, n) })),
);

// ---------------------------------------------------------------- comments

/** Comments on the lines of list entries, and the comment lines right above them. */
function entryComments(source: string, section: string, indices: number[]): Set<string> {
  const out = new Set<string>();
  const seq = parseDocument(source).get(section, true);
  if (!isSeq(seq)) return out;
  const lines = source.split('\n');
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length - 1;
  for (const i of indices) {
    const item = seq.items[i] as { range?: [number, number, number] } | undefined;
    if (!item?.range) continue;
    const first = lineOf(item.range[0]);
    for (let l = first; l <= lineOf(item.range[2]) && l < lines.length; l++) for (const c of comments(lines[l]!)) out.add(c);
    for (let l = first - 1; l >= 0 && /^\s*#/.test(lines[l]!); l--) out.add(lines[l]!.trim());
  }
  return out;
}

/** Comments on the lines of a top-level key's value and of one of its keys (layout entries, metadata). */
function keyComments(source: string, section: string, key?: string): Set<string> {
  const out = new Set<string>();
  const map = parseDocument(source).get(section, true);
  if (!isMap(map)) return out;
  const pairs = key === undefined ? map.items : map.items.filter((p) => isScalar(p.key) && p.key.value === key);
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length - 1;
  const lines = source.split('\n');
  for (const pair of pairs) {
    const first = lineOf((pair.key as { range: [number, number, number] }).range[0]);
    const last = lineOf(((pair.value ?? pair.key) as { range: [number, number, number] }).range[2]);
    for (let l = first; l <= last && l < lines.length; l++) for (const c of comments(lines[l]!)) out.add(c);
  }
  return out;
}

/**
 * Comments an operation may remove: those of the entries it deletes (lines, inner and leading comments),
 * and for property edits those inside the target entry. Every other comment must stay.
 */
function removable(source: string, m: Model, op: EditOperation): Set<string> {
  const indexOf = (list: any[] | undefined, f: (x: any) => boolean) => (list ?? []).flatMap((x, i) => (f(x) ? [i] : []));
  const target = (t: EditTarget) =>
    t.kind === 'document'
      ? keyComments(source, String('path' in op ? op.path[0] : ''))
      : t.kind === 'metadata'
      ? keyComments(source, 'metadata')
      : t.kind === 'node'
        ? entryComments(source, 'nodes', indexOf(m.nodes, (n) => n.id === t.id).slice(0, 1))
        : t.kind === 'edge'
          ? entryComments(source, 'edges', indexOf(m.edges, (e) => edgeId(e) === t.id).slice(0, 1))
          : entryComments(source, 'certificates', indexOf(m.certificates, (c) => c.id === t.id).slice(0, 1));
  switch (op.op) {
    case 'deleteNode':
      return new Set([
        ...entryComments(source, 'nodes', indexOf(m.nodes, (n) => n.id === op.id).slice(0, 1)),
        ...entryComments(source, 'edges', indexOf(m.edges, (e) => e.from === op.id || e.to === op.id)),
        ...keyComments(source, 'layout', op.id),
      ]);
    case 'disconnect':
      return entryComments(source, 'edges', indexOf(m.edges, (e) => edgeId(e) === op.id).slice(0, 1));
    case 'removeCertificate':
      return entryComments(source, 'certificates', indexOf(m.certificates, (c) => c.id === op.id).slice(0, 1));
    case 'updateCertificate':
      return target({ kind: 'certificate', id: op.id });
    case 'setProperty':
    case 'unsetProperty':
      return target(op.target);
    default:
      return new Set();
  }
}

// ---------------------------------------------------------------- the property

const DESIGNS: [string, string, number][] = [
  ['the reference design', REFERENCE, 60],
  ['the commented fixture', fixture('commented'), 30],
  ['the compact fixture', fixture('compact'), 30],
];

for (const [name, start, runs] of DESIGNS) {
  test(`random operation sequences on ${name} keep the text, the model and the comments right`, () => {
    const original = comments(start);
    assert.equal(new Set(original).size, original.length, 'the comments of the design are unique');
    fc.assert(
      fc.property(fc.array(recipe, { minLength: 1, maxLength: 10 }), (recipes) => {
        let source = start;
        let model: Model = toJS(start);
        const removed = new Set<string>();
        const applied: EditOperation[] = [];
        for (const make of recipes) {
          const op = make(model);
          const next = plain(model);
          let refused: string | undefined;
          try {
            expected(next, op);
          } catch (e) {
            if (!(e instanceof Refused)) throw e;
            refused = e.message;
          }
          const r = applyOperation(source, op);
          if (refused !== undefined) {
            assert.equal(r.ok, false, `${JSON.stringify(op)} should be refused (${refused})`);
            continue;
          }
          assert.ok(r.ok, `${JSON.stringify(op)} was refused: ${r.ok ? '' : r.error}`);
          for (const c of removable(source, model, op)) removed.add(c);
          source = applyEdits(source, r.edits);
          model = next;
          applied.push(op);
          assert.deepStrictEqual(toJS(source), model, `after ${JSON.stringify(op)}:\n${source}`);
          const now = comments(source);
          assert.deepEqual(
            now,
            original.filter((c) => now.includes(c)),
            'comments stay in order, none is added',
          );
          const lost = original.filter((c) => !now.includes(c) && !removed.has(c));
          assert.deepEqual(lost, [], `comments lost by ${JSON.stringify(op)}`);
        }
        const all = applyOperations(start, applied);
        assert.ok(all.ok);
        assert.equal(all.text, source);
        assert.equal(applyEdits(start, all.edits), source);
      }),
      { numRuns: Number(process.env.EDITS_RUNS ?? runs) },
    );
  });
}
