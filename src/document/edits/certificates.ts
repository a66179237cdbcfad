/**
 * Certificate operations. updateCertificate changes several fields at once: a field set to null is
 * removed, a changed `id` renames the certificate and every reference to it (issuer of other
 * certificates, node `certificate`, ingress `serverCertificate` / `clientCa`, edge `clientCertificate` /
 * `trustedCa`). removeCertificate leaves references: the validator reports them.
 */
import { isMap } from 'yaml';
import { CertificateSchema } from '../../schemas/design.js';
import { jsOf, pairIndex, type Ctx } from './locate.js';
import {
  appendToSection,
  entryAt,
  findEntry,
  mostlyFlow,
  renameRef,
  replaceScalar,
  requireEntry,
  sectionHolder,
  sectionSeq,
} from './entries.js';
import { toData, type Data } from './render.js';
import { EditError } from './text.js';
import { deepEqual, insertPairs, removeItems, replaceValue } from './tree.js';

function checkCertificateId(id: unknown): string {
  if (typeof id !== 'string' || !CertificateSchema.shape.id.safeParse(id).success) {
    throw new EditError(`${JSON.stringify(id)} is not a valid certificate id: use 1-127 letters, digits and hyphens, starting with a letter or digit`);
  }
  return id;
}

export function addCertificate(ctx: Ctx, certificate: Record<string, unknown>): void {
  const data = toData(certificate, 'certificate') as { [key: string]: Data };
  const id = checkCertificateId(data.id);
  if (findEntry(ctx, 'certificates', id) >= 0) throw new EditError(`a certificate with id "${id}" already exists`);
  appendToSection(ctx, 'certificates', [data], mostlyFlow(sectionSeq(ctx, 'certificates'), false));
}

export function removeCertificate(ctx: Ctx, id: string): void {
  const index = requireEntry(ctx, 'certificates', id);
  removeItems(ctx, sectionSeq(ctx, 'certificates')!, sectionHolder(ctx, 'certificates'), [index]);
}

/** Renames a certificate's references (not its own id); `keep` is a certificate whose issuer is set explicitly. */
function renameReferences(ctx: Ctx, from: string, to: string, keep?: unknown): void {
  for (const cert of sectionSeq(ctx, 'certificates')?.items ?? []) if (cert !== keep) renameRef(ctx, cert, 'issuer', from, to);
  for (const node of sectionSeq(ctx, 'nodes')?.items ?? []) {
    if (!isMap(node)) continue;
    const props = node.get('properties', true);
    renameRef(ctx, props, 'certificate', from, to);
    if (isMap(props)) {
      const ingress = props.get('ingress', true);
      renameRef(ctx, ingress, 'serverCertificate', from, to);
      renameRef(ctx, ingress, 'clientCa', from, to);
    }
  }
  for (const edge of sectionSeq(ctx, 'edges')?.items ?? []) {
    if (!isMap(edge)) continue;
    const props = edge.get('properties', true);
    renameRef(ctx, props, 'clientCertificate', from, to);
    renameRef(ctx, props, 'trustedCa', from, to);
  }
}

export function renameCertificate(ctx: Ctx, id: string, newId: unknown, issuerSet = false): void {
  const to = checkCertificateId(newId);
  const index = requireEntry(ctx, 'certificates', id);
  if (to === id) return;
  if (findEntry(ctx, 'certificates', to) >= 0) throw new EditError(`cannot rename certificate "${id}" to "${to}": a certificate with id "${to}" already exists`);
  const cert = entryAt(ctx, 'certificates', index)!;
  replaceScalar(ctx, cert.get('id', true), to, Boolean(cert.flow));
  renameReferences(ctx, id, to, issuerSet ? cert : undefined);
}

export function updateCertificate(ctx: Ctx, id: string, changes: Record<string, unknown>): void {
  const index = requireEntry(ctx, 'certificates', id);
  const cert = entryAt(ctx, 'certificates', index);
  if (!cert) throw new EditError(`certificate "${id}" is not a map; fix it in the text first`);
  const data = toData(changes, 'changes') as { [key: string]: Data };
  const path = ['certificates', index];
  const holder = { kind: 'item', seq: sectionSeq(ctx, 'certificates')!, index } as const;

  const remove: number[] = [];
  const add: [string, Data][] = [];
  for (const [key, value] of Object.entries(data)) {
    const at = pairIndex(cert, key);
    if (key === 'id') {
      if (value === null) throw new EditError(`cannot remove the id of certificate "${id}"; use removeCertificate`);
      // An issuer given in the same changes wins over the renamed reference.
      renameCertificate(ctx, id, value, Object.hasOwn(data, 'issuer'));
      continue;
    }
    if (value === null) {
      if (at >= 0) remove.push(at);
    } else if (at < 0) {
      add.push([key, value]);
    } else if (!deepEqual(jsOf(ctx, cert.items[at]!.value), value)) {
      replaceValue(ctx, { kind: 'pair', map: cert, index: at }, value, [...path, key]);
    }
  }
  removeItems(ctx, cert, holder, remove);
  insertPairs(ctx, cert, holder, path, add, { skip: new Set(remove) });
}
