/** The forms of the design's elements: node, edge, certificate and metadata. Pure: no React, no DOM. */
import {
  CertificateSchema,
  EDGE_PROPERTY_SCHEMAS,
  MetadataSchema,
  NODE_PROPERTY_SCHEMAS,
  NodeSchema,
  type EdgeType,
  type NodeType,
} from '../../schemas/design.js';
import { Field, toFormSchema, fieldsOf } from './form-fields.js';

export interface FormModel {
  /** Fields every element of the kind has (a node's id, name and label; a certificate's own fields). */
  readonly general: readonly Field[];
  /** The type's properties (['properties', ...]); empty when the type has none. */
  readonly properties: readonly Field[];
}

export const nodeForms = new Map<NodeType, FormModel>();
export const edgeForms = new Map<EdgeType, FormModel>();
let certificateForm: FormModel | undefined;
let metadataForm: FormModel | undefined;

/** The form of a node type: id, name and label, then its properties (NODE_PROPERTY_SCHEMAS[type]). */
export function nodeFormModel(type: NodeType): FormModel {
  let model = nodeForms.get(type);
  if (!model) {
    const nodeSchema = NodeSchema.options.find((o) => o.shape.type.value === type);
    const base = nodeSchema ? fieldsOf(toFormSchema(nodeSchema), [], 'node').filter((f) => f.key !== 'properties') : [];
    const properties = fieldsOf(toFormSchema(NODE_PROPERTY_SCHEMAS[type]), ['properties'], 'node');
    model = { general: base, properties };
    nodeForms.set(type, model);
  }
  return model;
}

/** The form of an edge type: its properties (EDGE_PROPERTY_SCHEMAS[type]); from, to and type are structural. */
export function edgeFormModel(type: EdgeType): FormModel {
  let model = edgeForms.get(type);
  if (!model) {
    model = { general: [], properties: fieldsOf(toFormSchema(EDGE_PROPERTY_SCHEMAS[type]), ['properties'], 'edge') };
    edgeForms.set(type, model);
  }
  return model;
}

/** The form of a certificate (CertificateSchema). */
export function certificateFormModel(): FormModel {
  certificateForm ??= { general: fieldsOf(toFormSchema(CertificateSchema), [], 'certificate'), properties: [] };
  return certificateForm;
}

/** The form of the design's metadata (MetadataSchema). */
export function metadataFormModel(): FormModel {
  metadataForm ??= { general: fieldsOf(toFormSchema(MetadataSchema), [], 'metadata'), properties: [] };
  return metadataForm;
}

