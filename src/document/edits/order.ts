/**
 * The order keys are written in: new entries and new keys follow the order of the design format
 * (the reference design's order), so an added `label` lands before `properties`, not after it.
 */
import {
  ApiSchema,
  CertificateSchema,
  EDGE_PROPERTY_SCHEMAS,
  IngressSchema,
  MetadataSchema,
  NODE_PROPERTY_SCHEMAS,
  ServiceSchema,
} from '../../schemas/design.js';
import { DeliveryEnvironmentSchema, DeliverySchema } from '../../schemas/delivery.js';
import { orderKeys, type Data } from './render.js';

type DocPath = readonly (string | number)[];

const ROOT = ['apiVersion', 'kind', 'metadata', 'delivery', 'certificates', 'nodes', 'edges', 'layout'];
const NODE = ['id', 'type', 'name', 'label', 'properties'];
const EDGE = ['from', 'to', 'type', 'id', 'properties'];
const keysOf = (schema: { shape: object }) => Object.keys(schema.shape);
const METADATA = keysOf(MetadataSchema);
const DELIVERY = keysOf(DeliverySchema);
const DELIVERY_ENVIRONMENT = keysOf(DeliveryEnvironmentSchema);
const CERTIFICATE = keysOf(CertificateSchema);
const INGRESS = keysOf(IngressSchema);
const API = keysOf(ApiSchema);
const SERVICE = keysOf(ServiceSchema);
const POSITION = ['x', 'y'];

function shapeKeys(schemas: Record<string, { shape: object }>, type: string | undefined): string[] | undefined {
  return type !== undefined && Object.hasOwn(schemas, type) ? keysOf(schemas[type]!) : undefined;
}

/** The key order of the map at a document path; `typeOf` gives the type of nodes[i] / edges[i]. */
export function keyOrder(path: DocPath, typeOf: (section: 'nodes' | 'edges', index: number) => string | undefined): string[] | undefined {
  const [section, index, sub, name] = path;
  const n = path.length;
  if (n === 0) return ROOT;
  if (section === 'metadata' && n === 1) return METADATA;
  if (section === 'delivery' && n === 1) return DELIVERY;
  if (section === 'delivery' && n === 3 && index === 'environments') return DELIVERY_ENVIRONMENT;
  if (section === 'layout' && n === 2) return POSITION;
  if (section === 'certificates' && n === 2) return CERTIFICATE;
  if (typeof index !== 'number') return undefined;
  if (section === 'nodes') {
    if (n === 2) return NODE;
    if (sub !== 'properties') return undefined;
    if (n === 3) return shapeKeys(NODE_PROPERTY_SCHEMAS, typeOf('nodes', index));
    if (n === 4 && name === 'ingress') return INGRESS;
    if (n === 5 && name === 'apis') return API;
    if (n === 5 && name === 'services') return SERVICE;
    return undefined;
  }
  if (section === 'edges') {
    if (n === 2) return EDGE;
    if (sub === 'properties' && n === 3) return shapeKeys(EDGE_PROPERTY_SCHEMAS, typeOf('edges', index));
  }
  return undefined;
}

/**
 * A new value, with the keys of every map at a known place put in the format's order. A new node or edge
 * brings its own `type`, which decides the order of its properties.
 */
export function arrange(
  value: Data,
  path: DocPath,
  typeOf: (section: 'nodes' | 'edges', index: number) => string | undefined,
): Data {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((x, i) => arrange(x, [...path, i], typeOf));
  let lookup = typeOf;
  if (path.length === 2 && (path[0] === 'nodes' || path[0] === 'edges') && typeof value.type === 'string') {
    const own = value.type;
    lookup = (section, index) => (section === path[0] && index === path[1] ? own : typeOf(section, index));
  }
  const ordered = orderKeys(value, keyOrder(path, lookup));
  const out: { [key: string]: Data } = {};
  for (const [k, x] of Object.entries(ordered)) out[k] = arrange(x, [...path, k], lookup);
  return out;
}
