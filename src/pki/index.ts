/**
 * Development PKI: the public API. Pure of file access (the command line and the extension read and write the
 * files: src/workspace/dev-certificates.ts createDevCertificates), over @peculiar/x509 (certificates) and PKI.js (PFX).
 */
export {
  DEFAULT_DAYS,
  DEV_ORGANIZATION,
  MAX_DAYS,
  STAND_IN_CA_ID,
  certificateMatchesKey,
  devCertificateOrder,
  devSubject,
  makeDevCertificates,
  type DevAction,
  type DevCertificate,
  type DevCertificatesOptions,
  type DevCertificatesResult,
  type ExistingMaterial,
} from './dev.js';
export { designChangesFor, type DesignChange } from './design-edits.js';
export { copyWithValidity, issueCertificate, parseX509, randomSerial, type IssueRequest, type Profile, type Signer } from './issue.js';
export { describeKeySpec, generateKey, importKey, keySpecOf, RSA_2048, type KeyMaterial, type KeySpec } from './keys.js';
export {
  DEFAULT_PRIVATE_SUBFOLDER,
  DEFAULT_PUBLIC_FOLDER,
  devFolders,
  keyFileName,
  pfxFileName,
  PRIVATE_FILE_MODE,
  PRIVATE_FOLDER_MODE,
  PRIVATE_GITIGNORE,
  PRIVATE_GITIGNORE_CONTENT,
  publicFileName,
} from './layout.js';
export { writePfx, type PfxInput } from './pfx.js';
