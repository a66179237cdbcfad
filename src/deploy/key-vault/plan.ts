/**
 * Which certificates go into Key Vault before a deployment, decided before anything is called. A template cannot
 * create a Key Vault certificate: Application Gateway and API Management take each one as a versionless secret
 * identifier parameter `<certId>SecretUri`, which the generated parameters file points at the design's vault
 * (https://<vault>.vault.azure.net/secrets/<name>); the AKS ingress manifests name the certificate in the vault too.
 * For each such certificate the plan says one of:
 *
 * - import: a development PFX was given for it and its parameter points at the design's vault (or is unset): it is
 *   imported into that vault, and the parameter becomes the vault's real secret identifier;
 * - existing: the saved parameters point somewhere else (another vault, a version): used as it is, nothing imported;
 * - missing: no PFX and not pointed elsewhere: the vault must already hold it, or the deployment fails; the line says
 *   what to do (make development certificates, import it by hand, or set the parameter).
 *
 * Pure: the caller says which certificates have a PFX; it never reads a file or calls Azure.
 */
import { keyVaultName } from '../../generators/azure/apim/certificate-parameters.js';
import { toIdentifier } from '../../generators/ir/template.js';
import { resolvedName, resourceName } from '../../model/naming.js';
import type { Certificate, Design } from '../../schemas/design.js';
import type { ManifestFile } from '../manifests.js';

export type CertificateAction = 'import' | 'existing' | 'missing';

/** One certificate the deployment needs in Key Vault, and what happens to it. */
export interface PlannedCertificate {
  /** The design certificate's id. */
  readonly certificateId: string;
  /** The template parameter taking its secret identifier (`<certId>SecretUri`); absent for one only the manifests use. */
  readonly parameter?: string;
  /** Its name in Key Vault (the certificate's secretName, else its id). */
  readonly secretName: string;
  /** The design's vault for it: the keyVault node and its Azure name; absent when the certificate names no vault. */
  readonly vaultNodeId?: string;
  readonly vaultName?: string;
  readonly action: CertificateAction;
  /** The parameter's value before the import (a secret identifier), when it has one. */
  readonly value?: string;
  /** What the template or the manifests use it for: "parameter gatewayTlsSecretUri", "the AKS ingress manifests". */
  readonly usedBy: string;
  /** One readable line: the certificate, the decision and why (for missing: what to do). */
  readonly line: string;
}

/** A vault the plan imports into, with the certificates it imports there. */
export interface PlannedVault {
  readonly nodeId: string;
  readonly name: string;
  /** Ids of the certificates imported into it, in the plan's order. */
  readonly certificateIds: readonly string[];
}

export interface CertificatePlan {
  readonly certificates: readonly PlannedCertificate[];
  /** The vaults that get imports (none when nothing is imported). */
  readonly vaults: readonly PlannedVault[];
  /** The readable summary: a heading line, then one line per certificate. */
  readonly lines: readonly string[];
}

export interface CertificatePlanInput {
  readonly design: Design;
  /** The ARM template (infra/main.json, parsed). */
  readonly template: Readonly<Record<string, unknown>>;
  /** The deployment's parameter values, `{ name: { value } }` (the generated file merged with the saved answers). */
  readonly parameters: Readonly<Record<string, { readonly value: unknown }>>;
  /** Ids of the design certificates a development PFX was given for. */
  readonly pfx: ReadonlySet<string>;
  /** The generated cluster manifests (PreparedDeployment.clusters[].files): certificates they take from Key Vault. */
  readonly manifests?: readonly ManifestFile[];
  /** How the "make development certificates" advice names the command (default: gatewright certs dev FILE). */
  readonly devCommand?: string;
  /** The target resource group's id: a vault whose derived name ends with uniqueString() is named as there. */
  readonly resourceGroupId?: string;
}

export function planCertificateImports(input: CertificatePlanInput): CertificatePlan {
  const { design } = input;
  const devCommand = input.devCommand ?? 'gatewright certs dev FILE';
  const certificates: PlannedCertificate[] = [];
  const seen = new Set<string>();
  for (const { parameter, certificate } of secretParameters(input.template, design)) {
    seen.add(certificate.id);
    const raw = input.parameters[parameter]?.value;
    const value = typeof raw === 'string' && raw !== '' ? raw : undefined;
    certificates.push(decide(design, certificate, { parameter, value, hasPfx: input.pfx.has(certificate.id), devCommand, rgId: input.resourceGroupId }));
  }
  for (const certificate of manifestCertificates(design, input.manifests ?? [], input.resourceGroupId)) {
    if (seen.has(certificate.id)) continue;
    seen.add(certificate.id);
    certificates.push(decide(design, certificate, { hasPfx: input.pfx.has(certificate.id), devCommand, rgId: input.resourceGroupId }));
  }

  const vaults: PlannedVault[] = [];
  for (const c of certificates) {
    if (c.action !== 'import' || !c.vaultNodeId || !c.vaultName) continue;
    let vault = vaults.find((v) => v.nodeId === c.vaultNodeId);
    if (!vault) {
      vault = { nodeId: c.vaultNodeId, name: c.vaultName, certificateIds: [] };
      vaults.push(vault);
    }
    (vault.certificateIds as string[]).push(c.certificateId);
  }
  return { certificates, vaults, lines: planLines(certificates) };
}

/** The plan as text: its lines, each ending with a newline. */
export function formatCertificatePlan(plan: CertificatePlan): string {
  return plan.lines.map((l) => `${l}\n`).join('');
}

// ---------------------------------------------------------------- deciding

function decide(
  design: Design,
  certificate: Certificate,
  options: { parameter?: string; value?: string; hasPfx: boolean; devCommand: string; rgId: string | undefined },
): PlannedCertificate {
  const { parameter, value, hasPfx, devCommand, rgId } = options;
  const secretName = keyVaultName(certificate, certificate.id);
  const vault = vaultOf(design, certificate, rgId);
  const usedBy = parameter ? `parameter ${parameter}` : 'the AKS ingress manifests';
  const base = {
    certificateId: certificate.id,
    ...(parameter ? { parameter } : {}),
    secretName,
    ...(vault ? { vaultNodeId: vault.nodeId, vaultName: vault.name } : {}),
    ...(value !== undefined ? { value } : {}),
    usedBy,
  };
  const head = `certificate "${certificate.id}" (${usedBy})`;
  const pointsElsewhere = value !== undefined && !(vault && isDesignVaultSecret(value, vault.name, secretName));
  if (pointsElsewhere) {
    return { ...base, action: 'existing', line: `existing  ${head}: uses ${value} as it is; nothing imported` };
  }
  if (hasPfx && vault) {
    return { ...base, action: 'import', line: `import    ${head}: its development PFX into Key Vault ${vault.name} as "${secretName}"` };
  }
  const where = vault ? `Key Vault ${vault.name}` : 'a Key Vault';
  const remedies = [
    ...(vault ? [`run ${devCommand} to make development certificates (then deploy again)`] : [`name its vault in the design (certificates[].keyVault)`]),
    `import it yourself (az keyvault certificate import --vault-name ${vault?.name ?? '<vault>'} --name ${secretName} --file <file>.pfx)`,
    ...(parameter ? [`or set ${parameter} to the secret identifier of a certificate that is already in a vault`] : []),
  ];
  const why = hasPfx ? 'its development PFX was found but the design names no vault for it' : 'no development PFX for it';
  return {
    ...base,
    action: 'missing',
    line: `missing   ${head}: ${why}; unless ${where} already holds "${secretName}", the deployment fails: ${remedies.join(', ')}`,
  };
}

function planLines(certificates: readonly PlannedCertificate[]): string[] {
  if (certificates.length === 0) return ['Certificates: the deployment takes no certificate from Key Vault.'];
  const count = (a: CertificateAction) => certificates.filter((c) => c.action === a).length;
  const parts = [`${count('import')} to import`, `${count('existing')} existing`, `${count('missing')} missing`].filter((p) => !p.startsWith('0 '));
  return [`Certificates in Key Vault (${parts.join(', ')}):`, ...certificates.map((c) => `  ${c.line}`)];
}

/** Whether a secret identifier is the versionless one of `secret` in the vault named `vault` (any cloud's host). */
export function isDesignVaultSecret(value: string, vault: string, secret: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const host = url.hostname.split('.')[0] ?? '';
  const path = url.pathname.replace(/\/+$/, '');
  return url.protocol === 'https:' && host.toLowerCase() === vault.toLowerCase() && path.toLowerCase() === `/secrets/${secret}`.toLowerCase() && !url.search;
}

/** The design's vault of a certificate, with its name in the resource group `rgId` (as the files show it without one). */
function vaultOf(design: Design, certificate: Certificate, rgId: string | undefined): { nodeId: string; name: string } | undefined {
  if (!certificate.keyVault) return undefined;
  const node = design.nodes.find((n) => n.id === certificate.keyVault && n.type === 'keyVault');
  if (!node) return undefined;
  const named = resourceName(design.metadata.name, node);
  return { nodeId: node.id, name: rgId === undefined ? named.name : resolvedName(named, rgId) };
}

// ---------------------------------------------------------------- what needs Key Vault

/**
 * The template's `<certId>SecretUri` parameters with their design certificate. The generators name them
 * toIdentifier(certId) + 'SecretUri', with a number after when two ids give the same identifier; the parameter's
 * description quotes the certificate id, which settles such a tie.
 */
function secretParameters(template: Readonly<Record<string, unknown>>, design: Design): { parameter: string; certificate: Certificate }[] {
  const declared = isObject(template.parameters) ? template.parameters : {};
  const out: { parameter: string; certificate: Certificate }[] = [];
  for (const [name, raw] of Object.entries(declared)) {
    const m = /^(.+SecretUri)\d*$/.exec(name);
    if (!m) continue;
    const description = isObject(raw) && isObject(raw.metadata) && typeof raw.metadata.description === 'string' ? raw.metadata.description : '';
    const candidates = design.certificates.filter((c) => `${toIdentifier(c.id)}SecretUri` === m[1]);
    const certificate = candidates.length === 1 ? candidates[0] : candidates.find((c) => description.includes(`certificate "${c.id}"`));
    if (certificate) out.push({ parameter: name, certificate });
  }
  return out;
}

/** Design certificates the cluster manifests take from the design's vaults (https://<vault>.<host>/certificates/<name>). */
function manifestCertificates(design: Design, manifests: readonly ManifestFile[], rgId: string | undefined): Certificate[] {
  const out: Certificate[] = [];
  // A vault's host as the generated files show a derived name (`<prefix><suffix>`) or as deploy fills it in.
  const uris = /https:\/\/([a-z0-9<>-]+)\.[a-z0-9.-]+\/certificates\/([A-Za-z0-9-]+)/gi;
  for (const file of manifests) {
    for (const m of file.content.matchAll(uris)) {
      const [, vault, secret] = m;
      const certificate = design.certificates.find((c) => {
        const v = vaultOf(design, c, rgId);
        // VS Code prepares the manifests as generated (<prefix><suffix>), the CLI with the names filled in: either is the vault.
        const names = [v?.name, vaultOf(design, c, undefined)?.name].map((n) => n?.toLowerCase());
        return c.role !== 'ca' && v && names.includes(vault!.toLowerCase()) && keyVaultName(c, c.id).toLowerCase() === secret!.toLowerCase();
      });
      if (certificate && !out.includes(certificate)) out.push(certificate);
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A plan for a prepared deployment, with the PFX bytes of the certificates it imports (and only those). */
export interface PreparedImport {
  readonly plan: CertificatePlan;
  readonly pfx: ReadonlyMap<string, Uint8Array>;
}

/** The plan of a prepared deployment given the development PFX files found, keeping the bytes of the imported ones. */
export function planPreparedImports(
  design: Design,
  prepared: { readonly template: Readonly<Record<string, unknown>>; readonly merged: { readonly parameters: CertificatePlanInput['parameters'] }; readonly clusters: readonly { readonly files: readonly ManifestFile[] }[] },
  pfx: ReadonlyMap<string, Uint8Array>,
  devCommand: string,
  resourceGroupId?: string,
): PreparedImport {
  const plan = planCertificateImports({
    ...(resourceGroupId === undefined ? {} : { resourceGroupId }),
    design,
    template: prepared.template,
    parameters: prepared.merged.parameters,
    pfx: new Set(pfx.keys()),
    manifests: prepared.clusters.flatMap((c) => c.files),
    devCommand,
  });
  const imported = new Set(plan.vaults.flatMap((v) => v.certificateIds));
  return { plan, pfx: new Map([...pfx].filter(([id]) => imported.has(id))) };
}
