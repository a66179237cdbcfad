/**
 * Getting the design's certificates into Key Vault as part of deploying: the plan (pure), a read-only preview of the
 * vault changes for the confirmation, and the import itself (vault created first when missing, network opened to
 * this machine only and restored, temporary role assignment, one step message each).
 */
export { CERTIFICATES_OFFICER_ROLE, type Principal, type TemporaryAssignment } from './access.js';
export {
  importCertificates,
  KeyVaultRestoreError,
  withCertificateParameters,
  type ImportCertificatesOptions,
  type ImportCertificatesResult,
  type ImportedCertificate,
  type PropagationOptions,
  type VaultImportReport,
} from './import.js';
export { describeSettings, type NetworkAclsSetting, type NetworkSettings } from './network.js';
export { readPfxCertificate, type PfxCertificate } from './pfx.js';
export {
  formatCertificatePlan,
  isDesignVaultSecret,
  planCertificateImports,
  planPreparedImports,
  type CertificateAction,
  type CertificatePlan,
  type CertificatePlanInput,
  type PlannedCertificate,
  type PlannedVault,
  type PreparedImport,
} from './plan.js';
export { previewCertificateImport, type VaultChangePreview } from './preview.js';
export { vaultOnlyDeployment } from './vault-template.js';
