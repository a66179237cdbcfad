/**
 * Deploying a design to Azure through the Azure SDK: sign-in, subscriptions and resource groups, parameters,
 * what-if, deployment with progress and cancellation, outputs, history, and the AKS run command.
 * Never imports vscode: the extension and the command line both use it.
 */
export { DEFAULT_ARM_ENDPOINT, armEndpoint, armScopes, type ArmConnection, type PipelineOptions } from './connection.js';
export { cliCredential, jwtExpiry, tokenCredential, type AccessToken, type GetAccessToken, type TokenCredential, type TokenResult } from './credential.js';
export { apimServices, checkApimServices, describeApimExistence, setApimExistence, withApimExistence, type ApimExistence, type ApimService } from './apim-exists.js';
export { deploy, describeFailure, operationState, type DeployOptions, type DeployProgress, type DeployResult, type DeployState, type OperationState } from './deploy.js';
export { deploymentName, isDesignDeployment } from './deployment-name.js';
export { DeployError, armErrorCodes, armErrorOf, formatArmError, toDeployError, type ArmError, type DeployFailureKind } from './errors.js';
export { deploymentHistory, deploymentRecord, formatDuration, parseIsoDuration, type DeploymentRecord } from './history.js';
export { clusterManifests, type ClusterManifests, type ManifestFile } from './manifests.js';
export { deploymentOutputs, formatOutputs, outputsOf, type DeploymentOutput } from './outputs.js';
export {
  mergeParameters,
  parametersFileFor,
  parseAnswer,
  parseParametersFile,
  secretProblem,
  serializeParametersFile,
  templateParameters,
  type MergedParameters,
  type ParameterSource,
  type ParameterValues,
  type TemplateParameter,
} from './parameters.js';
export { PARAMETERS_FILE, TEMPLATE_FILE, prepareDeployment, type PreparedDeployment } from './prepare.js';
export {
  CERTIFICATES_OFFICER_ROLE,
  describeSettings,
  formatCertificatePlan,
  importCertificates,
  isDesignVaultSecret,
  KeyVaultRestoreError,
  planCertificateImports,
  previewCertificateImport,
  readPfxCertificate,
  vaultOnlyDeployment,
  withCertificateParameters,
  type CertificateAction,
  type CertificatePlan,
  type CertificatePlanInput,
  type ImportCertificatesOptions,
  type ImportCertificatesResult,
  type ImportedCertificate,
  type NetworkAclsSetting,
  type NetworkSettings,
  type PfxCertificate,
  type PlannedCertificate,
  type PlannedVault,
  type PropagationOptions,
  type VaultChangePreview,
  type VaultImportReport,
} from './key-vault/index.js';
export { ensureResourceGroup, getResourceGroup, listResourceGroups, type ResourceGroupInfo } from './resource-groups.js';
export { NODE_RESOURCE_TYPES, nodeOfResource, nodeOfTypedName, parseResourceId, type ResourceIdParts } from './resource-map.js';
export { APPLY_COMMAND, applyManifests, runClusterCommand, zipContext, type RunCommandOutcome } from './run-command.js';
export { DeploymentSession, type SessionOptions } from './session.js';
export { listLocations, type LocationInfo } from './locations.js';
export { getSubscription, listSubscriptions, type SubscriptionInfo } from './subscriptions.js';
export { DEFAULT_POLL_INTERVAL_MS, type DeploymentInput, type DeploymentTarget } from './target.js';
export { whatIf, type WhatIfOptions } from './what-if.js';
export {
  CHANGE_KINDS,
  flattenDelta,
  formatWhatIf,
  summarizeWhatIf,
  type ChangeKind,
  type NodeChange,
  type PropertyChange,
  type PropertyChangeKind,
  type RawWhatIfResult,
  type ResourceChange,
  type WhatIfSummary,
} from './what-if-summary.js';
