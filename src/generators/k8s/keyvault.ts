/** Key Vault names and certificate URIs as the AKS application routing add-on reads them. */
import type { Certificate, Design } from '../../schemas/design.js';
import { derivedName, resourceName } from '../naming.js';

/** The Azure name of a keyVault node (its `name`, else derived); derived from the id when no such node exists. */
export function vaultNameOf(design: Pick<Design, 'metadata' | 'nodes'>, keyVaultNodeId: string): string {
  const node = design.nodes.find((n) => n.id === keyVaultNodeId && n.type === 'keyVault');
  return node ? resourceName(design, node) : derivedName(design.metadata.name, keyVaultNodeId, 'keyVault');
}

/** The Key Vault certificate name of a certificate: its `secretName`, else its id. */
export function keyVaultCertificateName(cert: Certificate): string {
  return cert.secretName ?? cert.id;
}

/**
 * The versionless URI of a certificate in Key Vault (`https://<vault>.vault.azure.net/certificates/<name>`),
 * so that a renewed certificate is picked up; undefined when the certificate names no vault.
 */
export function keyVaultCertificateUri(design: Pick<Design, 'metadata' | 'nodes'>, cert: Certificate): string | undefined {
  if (!cert.keyVault) return undefined;
  return `https://${vaultNameOf(design, cert.keyVault)}.vault.azure.net/certificates/${keyVaultCertificateName(cert)}`;
}
