/** The options of reference fields: certificates, key vaults, identities, services. Pure: no React, no DOM. */
import { type Design } from '../../schemas/design.js';
import { Reference, Field } from './form-fields.js';
import { formatValue } from './form-values.js';

export interface Option {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

/** What a reference field can name in this design. `selfId`: the certificate being edited (not its own issuer). */
export function referenceOptions(design: Design, ref: Reference, selfId?: string): Option[] {
  switch (ref.to) {
    case 'certificate':
      return design.certificates
        .filter((c) => c.role === ref.role)
        .map((c) => ({ value: c.id, label: c.id, description: `${c.role} certificate, issuer ${c.issuer}` }));
    case 'issuer':
      return [
        { value: 'self', label: 'self', description: 'self-signed: a root' },
        { value: 'external', label: 'external', description: 'a public CA' },
        ...design.certificates
          .filter((c) => c.role === 'ca' && c.id !== selfId)
          .map((c) => ({ value: c.id, label: c.id, description: `CA certificate, issuer ${c.issuer}` })),
      ];
    case 'node':
      return design.nodes
        .filter((n) => n.type === ref.nodeType)
        .map((n) => ({ value: n.id, label: n.id, ...(n.label ? { description: n.label } : {}) }));
    case 'service': {
      const seen = new Set<string>();
      const options: Option[] = [];
      for (const n of design.nodes) {
        if (n.type !== 'aksCluster') continue;
        for (const s of n.properties.services) {
          if (seen.has(s.name)) continue;
          seen.add(s.name);
          options.push({ value: s.name, label: s.name, description: `service of ${n.id} (${s.namespace})` });
        }
      }
      return options;
    }
  }
}

/**
 * The choices of a reference select: "no value" first when the field is optional, then what the reference
 * can name, and the current value when it names nothing suitable ("apim-tls (server certificate, not client)").
 */
export function referenceChoices(design: Design, field: Field & { ref: Reference }, value: string, selfId?: string): Option[] {
  const options = referenceOptions(design, field.ref, selfId);
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: `${value} (${whyUnsuitable(design, field.ref, value, selfId)})` });
  if (!field.required) options.unshift({ value: '', label: emptyChoiceLabel(field) });
  return options;
}

export function whyUnsuitable(design: Design, ref: Reference, value: string, selfId?: string): string {
  switch (ref.to) {
    case 'certificate': {
      const cert = design.certificates.find((c) => c.id === value);
      return cert ? `${cert.role} certificate, not ${ref.role}` : 'not found';
    }
    case 'issuer': {
      if (value === selfId) return 'itself';
      const cert = design.certificates.find((c) => c.id === value);
      return cert ? `${cert.role} certificate, not a CA` : 'not found';
    }
    case 'node': {
      const node = design.nodes.find((n) => n.id === value);
      return node ? `a ${node.type} node, not ${ref.nodeType}` : 'not found';
    }
    case 'service':
      return 'no such service in an AKS cluster';
  }
}

/** Which label the "no value" choice of a reference select gets. */
export function emptyChoiceLabel(field: Field): string {
  if (field.key === 'trustedCa' || field.key === 'clientCa') return '(derived from the certificates)';
  if (field.hasDefault) return `(default: ${formatValue(field, field.default)})`;
  return '(none)';
}

