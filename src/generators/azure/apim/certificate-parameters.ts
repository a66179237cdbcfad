/**
 * Template parameters for certificates, shared by the Application Gateway and API Management builders.
 *
 * - A certificate whose private key lives in Key Vault cannot be created by a template (there is no
 *   vaults/certificates resource type; azure-facts §9): its consumers take the versionless secret identifier of
 *   the Key Vault certificate as a string parameter `<certId>SecretUri` (the name of Key Vault's own property for it,
 *   secretUri; a name ending in SecretId trips Bicep's secure-secrets-in-params rule), without default. The parameters file gets
 *   the identifier the vault of the design will have (https://<vault>.vault.azure.net/secrets/<name>, Azure public
 *   cloud), and a note says how the certificate gets there.
 * - A CA certificate the gateways must trust is public data: the parameter `<caId>Certificate` holds its base64 DER
 *   (no PEM armour), filled from the PEM the caller hands in (GenerateInputs.caPems) when there is one. Only the
 *   first CERTIFICATE block of that PEM is read, so a private key handed in by mistake never reaches a file.
 */
import type { Certificate } from '../../../schemas/design.js';
import { envSuffix, interp, type Expr } from '../../ir/expr.js';
import { toIdentifier } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';

interface Registry {
  /** Parameter name -> certificate id. */
  readonly names: Map<string, string>;
  /** Certificate id + kind -> parameter name. */
  readonly byCert: Map<string, string>;
}

const registries = new WeakMap<AzureBuild, Registry>();

function registry(b: AzureBuild): Registry {
  let r = registries.get(b);
  if (!r) {
    r = { names: new Map(), byCert: new Map() };
    registries.set(b, r);
  }
  return r;
}

/** A parameter name for a certificate, unique in the template even when two ids give the same identifier. */
function nameFor(b: AzureBuild, certId: string, suffix: string): { name: string; isNew: boolean } {
  const reg = registry(b);
  const key = `${certId}\u0000${suffix}`;
  const known = reg.byCert.get(key);
  if (known) return { name: known, isNew: false };
  const base = `${toIdentifier(certId)}${suffix}`;
  let name = base;
  for (let i = 2; reg.names.has(name); i++) name = `${base}${i}`;
  reg.names.set(name, certId);
  reg.byCert.set(key, name);
  return { name, isNew: true };
}

/** The Key Vault certificate name of a design certificate. */
export function keyVaultName(cert: Certificate | undefined, certId: string): string {
  return cert?.secretName ?? cert?.id ?? certId;
}

/**
 * The vault holding a certificate, when the design says which one: its name as text (a unique suffix shown as
 * <suffix>) and, for a derived globally unique name, the expression Resource Manager evaluates to it.
 */
function vaultName(b: AzureBuild, cert: Certificate | undefined): { shown: string; expr: Expr } | undefined {
  if (!cert?.keyVault) return undefined;
  const node = b.index.nodes.get(cert.keyVault);
  if (node) return { shown: b.name(node), expr: b.azureName(node) };
  const r = b.nodeResources.get(cert.keyVault);
  return r && typeof r.name === 'string' ? { shown: r.name, expr: r.name } : undefined;
}

/** The versionless secret identifier of a Key Vault certificate, as a parameter (`<certId>SecretUri`). */
export function certificateSecretId(b: AzureBuild, certId: string): Expr {
  const cert = b.index.certificates.get(certId);
  const { name, isNew } = nameFor(b, certId, 'SecretUri');
  const secret = keyVaultName(cert, certId);
  const vault = vaultName(b, cert);
  const uri = vault ? `https://${vault.shown}.vault.azure.net/secrets/${secret}` : undefined;
  const where = vault ? `Key Vault "${vault.shown}"` : 'its Key Vault';
  // A vault whose name ends with uniqueString(resourceGroup().id) is known only in the resource group: the
  // parameter's default computes its identifier there (a parameters file holds values, not expressions).
  const computed = vault && typeof vault.expr !== 'string' ? interp('https://', vault.expr, envSuffix('keyvaultDns'), `/secrets/${secret}`) : undefined;
  const param = b.parameter({
    name,
    type: 'string',
    description: `Versionless secret identifier (https://<vault host>/secrets/${secret}) of certificate "${certId}", the Key Vault certificate "${secret}" in ${where}; without a version, rotated certificates are picked up.`,
    minLength: 1,
    ...(computed ? { defaultValue: computed } : uri ? { fileValue: uri } : {}),
  });
  if (isNew) {
    b.notes.push(
      `Certificate "${certId}": a template cannot create a Key Vault certificate. Import its PFX (with the private key, RSA, exportable) into ${where} as the certificate "${secret}" (az keyvault certificate import --vault-name ${vault?.shown ?? '<vault>'} --name ${secret} --file <file>.pfx), or create it there; the parameter ${name} takes its versionless secret identifier${computed ? ` (by default ${uri}, computed in the resource group)` : uri ? ` (${uri} in the parameters file)` : ''}.`,
    );
  }
  return param;
}

/** The base64 DER of the first CERTIFICATE block of a PEM text, if it has one. */
export function pemToBase64Der(pem: string): string | undefined {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/.exec(pem);
  const body = m?.[1]?.replace(/\s+/g, '');
  return body ? body : undefined;
}

/** The public data of a CA certificate (base64 DER), as a parameter (`<caId>Certificate`). */
export function caCertificateData(b: AzureBuild, caId: string): Expr {
  const cert = b.index.certificates.get(caId);
  const { name, isNew } = nameFor(b, caId, 'Certificate');
  const pem = b.inputs.caPems?.get(caId);
  const der = pem === undefined ? undefined : pemToBase64Der(pem);
  const param = b.parameter({
    name,
    type: 'string',
    description: `Public certificate of CA "${caId}" as base64 DER (no PEM header lines; not a secret).`,
    minLength: 1,
    ...(der ? { fileValue: der } : {}),
  });
  if (isNew && !der) {
    const file = cert?.file ? ` (the design names ${cert.file})` : '';
    b.notes.push(
      `Parameter ${name}: set it to the base64 DER of CA certificate "${caId}"${file}, e.g. openssl x509 -in <ca>.pem -outform der | base64 -w0.`,
    );
  }
  return param;
}
