/**
 * Importing the planned certificates into their vaults before the main deployment, each step told through onStep:
 *
 * 1. A vault that does not exist yet (Resource Manager answers 404) is created first by a deployment of the vault
 *    alone, cut from the generated template (./vault-template.ts), in Incremental mode.
 * 2. The vault's data plane is tried (reading each certificate's current version). If the vault's network settings
 *    keep this machine out, they are opened as little as possible: public network access Enabled, the firewall denying
 *    by default, plus one IP rule for this machine's public address, which Key Vault itself tells in its refusal
 *    (403 ForbiddenByFirewall, "Client address: a.b.c.d"; with public access disabled it says nothing, so access is
 *    first enabled with no new rule) unless the caller gives the address (clientIp).
 * 3. If a vault using Azure RBAC refuses for lack of a role (ForbiddenByRbac), the signed-in principal gets Key Vault
 *    Certificates Officer on the vault, and the call is retried with backoff while the assignment propagates.
 * 4. Each PFX is imported (policy: content type application/x-pkcs12, exportable key), unless the vault's current
 *    version has the same thumbprint.
 * 5. Always, also on failure and cancellation: the original network settings are put back (and checked), and the
 *    temporary role assignment removed. If that fails, the error says exactly what to restore by hand.
 *
 * The result gives each imported certificate's parameter its real secret identifier: the vault's vaultUri as
 * Resource Manager reports it (any cloud) + secrets/<name>. The PFX bytes come from the caller; nothing here reads a
 * file, and no key material reaches a message.
 */
import type { ImportCertificateOptions } from '@azure/keyvault-certificates';
import type { Design } from '../../schemas/design.js';
import { deploy, describeFailure } from '../deploy.js';
import { DeployError } from '../errors.js';
import { pause, type DeploymentInput, type DeploymentTarget } from '../target.js';
import { resourceGroupIdOf } from '../unique-names.js';
import { assignCertificatesOfficer, CERTIFICATES_OFFICER_ROLE, removeAssignment, signedInPrincipal, type TemporaryAssignment } from './access.js';
import { certificateClient } from './clients.js';
import { describeOpening, describeSettings, hasRule, ipRuleFor, isDisabled, openedSettings, restoreCommands, restoringSettings, sameNetwork, type NetworkSettings } from './network.js';
import { readPfxCertificate, type PfxCertificate } from './pfx.js';
import type { CertificatePlan, PlannedCertificate, PlannedVault } from './plan.js';
import { refusalOf, vaultDeployError, type Refusal } from './refusals.js';
import { vaultOnlyDeployment } from './vault-template.js';
import { getVault, setVaultNetwork, type VaultInfo } from './vaults.js';
import { errorMessage } from '../../model/error-message.js';

export interface PropagationOptions {
  /** How long to keep retrying after a network or role change before giving up (default 5 minutes). */
  readonly timeoutMs?: number;
  /** The first wait between retries (default 2 s); each next one doubles, up to maxDelayMs (default 20 s). */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface ImportCertificatesOptions {
  /** The design: names the vault-only deployment and maps its operations to nodes. */
  readonly design: Design;
  /** The main deployment (template and parameters): the vault-only deployment is cut from it. */
  readonly input: DeploymentInput;
  /** The development PFX (no password) of each certificate the plan imports, by certificate id. */
  readonly pfx: ReadonlyMap<string, Uint8Array>;
  /** Each step, as one line ("Key Vault payments-kv: ..."). */
  readonly onStep?: (message: string) => void;
  /** Cancels the import; the network settings and role assignment are restored all the same. */
  readonly signal?: AbortSignal;
  /** This machine's public address as Key Vault sees it; by default Key Vault's firewall refusal tells it. */
  readonly clientIp?: string;
  /** Names the vault-only deployment `<design>-keyvault-<yyyyMMdd>-<HHmmss>` of this time (default: now). */
  readonly now?: Date;
  /** Polling interval of the vault-only deployment (ms). */
  readonly pollIntervalMs?: number;
  readonly propagation?: PropagationOptions;
}

export interface ImportedCertificate {
  readonly certificateId: string;
  readonly parameter?: string;
  readonly vaultName: string;
  readonly secretName: string;
  /** imported: a new version was imported; unchanged: the current version already had this certificate. */
  readonly outcome: 'imported' | 'unchanged';
  /** The versionless secret identifier: <vaultUri>secrets/<name>. */
  readonly secretUri: string;
  readonly thumbprint: string;
  /** The version now current, when Key Vault gave it. */
  readonly version?: string;
}

export interface VaultImportReport {
  readonly name: string;
  readonly vaultUri: string;
  /** Created by the vault-only deployment. */
  readonly created: boolean;
  /** The IP rule added while importing (its network settings were restored afterwards), when they were changed. */
  readonly openedFor?: string;
  readonly networkChanged: boolean;
  /** A temporary Key Vault Certificates Officer assignment was made (and removed afterwards). */
  readonly roleAssigned: boolean;
}

export interface ImportCertificatesResult {
  readonly certificates: readonly ImportedCertificate[];
  /** The deployment parameters to set: `<certId>SecretUri` -> the real secret identifier. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly vaults: readonly VaultImportReport[];
}

/** A failure to put a vault's network settings back or to remove the temporary role assignment; `manualSteps` say how. */
export class KeyVaultRestoreError extends DeployError {
  constructor(
    message: string,
    readonly manualSteps: readonly string[],
    override readonly cause?: unknown,
  ) {
    super(message, 'failed');
  }
}

const DEFAULTS = { timeoutMs: 5 * 60_000, initialDelayMs: 2000, maxDelayMs: 20_000 };

/** Imports what the plan says into its vaults; rejects with a DeployError (a KeyVaultRestoreError when restoring failed). */
export async function importCertificates(target: DeploymentTarget, plan: CertificatePlan, options: ImportCertificatesOptions): Promise<ImportCertificatesResult> {
  const step = (message: string) => options.onStep?.(message);
  // Every PFX is read before anything changes: a bad file stops the import with nothing touched.
  const pfx = new Map<string, { bytes: Uint8Array; certificate: PfxCertificate }>();
  for (const vault of plan.vaults) {
    for (const id of vault.certificateIds) {
      const bytes = options.pfx.get(id);
      if (!bytes) throw new DeployError(`No development PFX was given for certificate "${id}", which the plan imports into Key Vault ${vault.name}`, 'other');
      try {
        pfx.set(id, { bytes, certificate: await readPfxCertificate(bytes) });
      } catch (e) {
        throw new DeployError(`The development PFX of certificate "${id}" cannot be imported: ${errorMessage(e)}`, 'other');
      }
    }
  }
  if (options.clientIp !== undefined) {
    try {
      ipRuleFor(options.clientIp);
    } catch (e) {
      throw new DeployError(`The client IP ${errorMessage(e)}`, 'other');
    }
  }

  const certificates: ImportedCertificate[] = [];
  const vaults: VaultImportReport[] = [];
  for (const vault of plan.vaults) {
    const entries = vault.certificateIds.map((id) => plan.certificates.find((c) => c.certificateId === id)!);
    const done = await importIntoVault(target, vault, entries, pfx, options, step);
    certificates.push(...done.certificates);
    vaults.push(done.report);
  }
  const parameters: Record<string, string> = {};
  for (const c of certificates) if (c.parameter) parameters[c.parameter] = c.secretUri;
  return { certificates, parameters, vaults };
}

/** The deployment with each imported certificate's parameter set to its real secret identifier. */
export function withCertificateParameters(input: DeploymentInput, result: Pick<ImportCertificatesResult, 'parameters'>): DeploymentInput {
  const parameters: Record<string, { value: unknown }> = { ...input.parameters };
  for (const [name, value] of Object.entries(result.parameters)) parameters[name] = { value };
  return { template: input.template, parameters };
}

// ---------------------------------------------------------------- one vault

interface VaultState {
  info: VaultInfo;
  readonly original: NetworkSettings;
  current: NetworkSettings;
  /** The network settings were changed (and must be restored). */
  changed: boolean;
  /** The IP rule added for this machine. */
  rule?: string;
  assignment?: TemporaryAssignment;
  /** When the last network or role change was made: retries wait for it to take effect until the timeout. */
  changedAt?: number;
  waitingSaid: Set<string>;
}

async function importIntoVault(
  target: DeploymentTarget,
  vault: PlannedVault,
  entries: readonly PlannedCertificate[],
  pfx: ReadonlyMap<string, { bytes: Uint8Array; certificate: PfxCertificate }>,
  options: ImportCertificatesOptions,
  step: (message: string) => void,
): Promise<{ certificates: ImportedCertificate[]; report: VaultImportReport }> {
  const { signal } = options;
  const name = vault.name;
  const say = (message: string) => step(`Key Vault ${name}: ${message}`);
  throwIfCanceled(signal, name);

  let info = await getVault(target, name, signal);
  let created = false;
  if (!info) {
    const stamp = (options.now ?? new Date()).toISOString();
    const deploymentName = `${options.design.metadata.name}-keyvault-${stamp.slice(0, 10).replace(/-/g, '')}-${stamp.slice(11, 19).replace(/:/g, '')}`;
    let input: DeploymentInput;
    try {
      input = vaultOnlyDeployment(options.input, [name], resourceGroupIdOf(target));
    } catch (e) {
      throw new DeployError(`Key Vault ${name} does not exist and cannot be created before the deployment: ${errorMessage(e)}`, 'other');
    }
    say(`it does not exist yet: creating it alone first, as the template declares it (deployment ${deploymentName}, Incremental), so that the certificates are in place when the deployment needs them`);
    const result = await deploy(target, input, {
      design: options.design,
      deploymentName,
      ...(signal ? { signal } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    });
    if (result.state !== 'Succeeded') {
      throw new DeployError(
        `Creating Key Vault ${name} ${result.state === 'Canceled' ? 'was canceled' : 'failed'}; nothing was imported.\n${describeFailure(result)}`,
        result.state === 'Canceled' ? 'canceled' : 'failed',
        result.error,
      );
    }
    info = await getVault(target, name, signal);
    if (!info) throw new DeployError(`Key Vault ${name} was deployed (${deploymentName}) but Resource Manager does not find it`, 'failed');
    created = true;
    say(`created (public network access ${describeSettings(info.network)})`);
  }

  const state: VaultState = { info, original: info.network, current: info.network, changed: false, waitingSaid: new Set() };
  const client = certificateClient(target, info.vaultUri);
  const certificates: ImportedCertificate[] = [];
  let failure: unknown;
  try {
    for (const entry of entries) {
      throwIfCanceled(signal, name);
      const { bytes, certificate } = pfx.get(entry.certificateId)!;
      const secret = entry.secretName;
      const current = await withAccess(target, state, options, say, `Reading certificate "${secret}" of Key Vault ${name}`, async () => {
        try {
          const found = await client.getCertificate(secret, signal ? { abortSignal: signal } : {});
          return { thumbprint: hex(found.properties.x509Thumbprint), enabled: found.properties.enabled !== false, version: found.properties.version };
        } catch (e) {
          if ((e as { statusCode?: number }).statusCode === 404) return undefined;
          throw e;
        }
      });
      const secretUri = new URL(`secrets/${encodeURIComponent(secret)}`, state.info.vaultUri).href;
      const base = { certificateId: entry.certificateId, ...(entry.parameter ? { parameter: entry.parameter } : {}), vaultName: name, secretName: secret, secretUri, thumbprint: certificate.thumbprint };
      if (current && current.enabled && current.thumbprint === certificate.thumbprint) {
        say(`certificate "${secret}" is already current (thumbprint ${certificate.thumbprint}): not imported again`);
        certificates.push({ ...base, outcome: 'unchanged', ...(current.version ? { version: current.version } : {}) });
        continue;
      }
      throwIfCanceled(signal, name);
      say(
        `importing certificate "${secret}" (${certificate.subject}, valid until ${certificate.notAfter.toISOString().slice(0, 10)}, thumbprint ${certificate.thumbprint})${current ? `, a new version replacing ${current.thumbprint ?? 'the current one'}` : ''}`,
      );
      const imported = await withAccess(target, state, options, say, `Importing certificate "${secret}" into Key Vault ${name}`, () =>
        client.importCertificate(secret, bytes, importOptions(signal)),
      );
      const version = imported.properties.version;
      say(`imported "${secret}"${version ? ` (version ${version})` : ''}`);
      certificates.push({ ...base, outcome: 'imported', ...(version ? { version } : {}) });
    }
  } catch (e) {
    failure = e;
  }

  // Always: put the network settings back and remove the temporary role assignment, whatever happened above.
  const problems: string[] = [];
  const manual: string[] = [];
  if (state.changed) {
    try {
      say(`restoring its network settings (public network access ${describeSettings(state.original)})`);
      const after = await setVaultNetwork(target, name, restoringSettings(state.original));
      if (!sameNetwork(after.network, state.original)) {
        throw new Error(`Resource Manager kept public network access ${describeSettings(after.network)} instead of ${describeSettings(state.original)}`);
      }
      say(`network settings restored: public network access ${describeSettings(state.original)}`);
    } catch (e) {
      problems.push(
        `restoring the network settings of Key Vault ${name} failed (${firstLine(e)}); it is still open ${state.rule ? `to ${state.rule}` : 'to the public network (firewall denying by default)'}. Put it back to public network access ${describeSettings(state.original)}`,
      );
      manual.push(...restoreCommands(name, target.resourceGroup, state.original, state.rule ? [state.rule] : []));
    }
  }
  if (state.assignment) {
    const a = state.assignment;
    try {
      await removeAssignment(target, target.subscriptionId, a);
      say(`removed the temporary role assignment (${CERTIFICATES_OFFICER_ROLE.name} for principal ${a.principal.objectId})`);
    } catch (e) {
      problems.push(`removing the temporary role assignment ${a.id} (${CERTIFICATES_OFFICER_ROLE.name} for principal ${a.principal.objectId}) failed (${firstLine(e)})`);
      manual.push(`az role assignment delete --ids ${a.id}`);
    }
  }
  if (problems.length) {
    const before = failure ? `${failure instanceof DeployError ? failure.message : firstLine(failure)}\nThen ` : '';
    throw new KeyVaultRestoreError(`${before}${problems.join('; and ')}. Restore by hand:\n${manual.map((m) => `  ${m}`).join('\n')}`, manual, failure);
  }
  if (failure) {
    const undone = [state.changed ? 'its network settings were restored' : '', state.assignment ? 'the temporary role assignment was removed' : ''].filter(Boolean);
    const error = failure instanceof DeployError ? failure : vaultDeployError(failure, `Importing certificates into Key Vault ${name}`);
    if (!undone.length) throw error;
    throw new DeployError(`${error.message} (${undone.join(' and ')})`, error.kind, error.arm, error.statusCode);
  }
  return {
    certificates,
    report: {
      name,
      vaultUri: state.info.vaultUri,
      created,
      ...(state.rule ? { openedFor: state.rule } : {}),
      networkChanged: state.changed,
      roleAssigned: state.assignment !== undefined,
    },
  };
}

// ---------------------------------------------------------------- getting through

/**
 * Runs a data-plane call; when the vault refuses it for the network or for a missing role, makes the least change
 * that fixes it and retries (with backoff while a change propagates, until the timeout).
 */
async function withAccess<T>(
  target: DeploymentTarget,
  state: VaultState,
  options: ImportCertificatesOptions,
  say: (message: string) => void,
  doing: string,
  call: () => Promise<T>,
): Promise<T> {
  const { signal } = options;
  const timing = { ...DEFAULTS, ...options.propagation };
  let delay = timing.initialDelayMs;
  for (;;) {
    throwIfCanceled(signal, state.info.name);
    let refusal: Refusal | undefined;
    try {
      return await call();
    } catch (e) {
      refusal = refusalOf(e);
      if (!refusal) throw vaultDeployError(e, doing);
      const changed = await fix(target, state, options, say, refusal, doing);
      if (changed) {
        state.changedAt = Date.now();
        delay = timing.initialDelayMs;
        continue;
      }
      // Nothing more to change: the last change may still be propagating.
      if (state.changedAt === undefined || Date.now() - state.changedAt > timing.timeoutMs) throw stillRefused(state, refusal, doing, e);
    }
    const key = refusal.kind;
    if (!state.waitingSaid.has(key)) {
      state.waitingSaid.add(key);
      say(`waiting for the ${key === 'rbac' ? 'role assignment' : 'network change'} to take effect (it can take a few minutes; retrying until ${Math.round(timing.timeoutMs / 1000)} s have passed)`);
    }
    await pause(delay, signal);
    delay = Math.min(delay * 2, timing.maxDelayMs);
  }
}

/** Makes the change a refusal calls for; false when there is none left to make. */
async function fix(target: DeploymentTarget, state: VaultState, options: ImportCertificatesOptions, say: (message: string) => void, refusal: Refusal, doing: string): Promise<boolean> {
  const { signal } = options;
  if (refusal.kind === 'connection' || refusal.kind === 'firewall') {
    const address = options.clientIp ?? (refusal.kind === 'firewall' ? refusal.clientAddress : undefined);
    if (address === undefined) {
      if (refusal.kind === 'firewall') {
        throw new DeployError(`${doing}: Key Vault's firewall refuses this machine and its answer does not say this machine's address; give it as the client IP (gatewright deploy --client-ip A.B.C.D)`, 'forbidden');
      }
      // Public access is disabled: Key Vault says nothing of the caller then. Enable it with nobody new allowed, to hear the address.
      if (!isDisabled(state.current)) return false;
      await changeNetwork(target, state, openedSettings(state.current), signal);
      say(describeOpening(state.original, undefined));
      return true;
    }
    const rule = ipRuleFor(address);
    if (hasRule(state.current, rule) && !isDisabled(state.current)) return false;
    await changeNetwork(target, state, openedSettings(state.current, [rule]), signal);
    state.rule = rule;
    say(`${describeOpening(state.original, rule)}, while importing`);
    return true;
  }
  if (refusal.kind === 'rbac') {
    if (state.assignment) return false;
    if (!state.info.enableRbacAuthorization) throw stillRefused(state, refusal, doing);
    const principal = await signedInPrincipal(target, signal);
    say(`the signed-in principal ${principal.objectId} may not import certificates here: giving it ${CERTIFICATES_OFFICER_ROLE.name} on this vault only, while importing`);
    state.assignment = await assignCertificatesOfficer(target, target.subscriptionId, state.info.id, principal, signal);
    return true;
  }
  throw stillRefused(state, refusal, doing);
}

async function changeNetwork(target: DeploymentTarget, state: VaultState, settings: Required<NetworkSettings>, signal?: AbortSignal): Promise<void> {
  // From the first change on, the settings must be restored, even if this very call fails half-way.
  state.changed = true;
  state.info = await setVaultNetwork(target, state.info.name, settings, signal);
  state.current = state.info.network;
}

function stillRefused(state: VaultState, refusal: Refusal, doing: string, cause?: unknown): DeployError {
  const name = state.info.name;
  const detail = refusal.message.replace(/\s*\r?\n\s*/g, ' ').trim();
  switch (refusal.kind) {
    case 'rbac':
      return new DeployError(
        state.assignment
          ? `${doing}: Key Vault still refuses for lack of a role after the role assignment (${detail}). Role assignments can take up to 10 minutes to take effect: deploy again in a few minutes.`
          : `${doing}: Key Vault ${name} refuses for lack of a role (${detail}), and it does not use Azure RBAC, so Gatewright gives no role; give the account certificate permissions get and import in the vault's access policies`,
        'forbidden',
      );
    case 'accessPolicy':
      return new DeployError(`${doing}: Key Vault ${name} uses access policies, which do not let this account import certificates (${detail}); give it the certificate permissions get and import (az keyvault set-policy --name ${name} --certificate-permissions get import --object-id <your object id>)`, 'forbidden');
    default:
      return new DeployError(
        `${doing}: Key Vault ${name} still refuses this machine's network after its settings were opened to ${state.rule ?? 'the public network'} (${detail}). If this machine reaches Azure through another address than the one Key Vault named, give that one as the client IP (gatewright deploy --client-ip A.B.C.D).`,
        'forbidden',
        undefined,
        cause && typeof (cause as { statusCode?: unknown }).statusCode === 'number' ? (cause as { statusCode: number }).statusCode : undefined,
      );
  }
}

/**
 * The import's policy: a PKCS#12 secret with an exportable key (Application Gateway and API Management read the
 * certificate with its key through the secret). @azure/keyvault-certificates 4.10 does not send the documented
 * `policy` option (its generated client reads `certificatePolicy`, in the service's own shape), so the policy is
 * given under both names; the test Key Vault checks that it arrives.
 */
function importOptions(signal: AbortSignal | undefined): ImportCertificateOptions & { certificatePolicy: unknown } {
  return {
    policy: { contentType: 'application/x-pkcs12', exportable: true },
    certificatePolicy: { keyProperties: { exportable: true }, secretProperties: { contentType: 'application/x-pkcs12' } },
    ...(signal ? { abortSignal: signal } : {}),
  };
}

function throwIfCanceled(signal: AbortSignal | undefined, vault: string): void {
  if (signal?.aborted) throw new DeployError(`Importing certificates into Key Vault ${vault}: canceled`, 'canceled');
}

function hex(bytes: Uint8Array | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString('hex').toUpperCase() : undefined;
}

function firstLine(e: unknown): string {
  const text = e instanceof DeployError ? e.message : errorMessage(e);
  return text.split('\n')[0]!.trim();
}
