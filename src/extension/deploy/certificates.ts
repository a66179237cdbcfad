/**
 * The Key Vault step of a deployment from VS Code: which certificates the design needs in Key Vault and what
 * happens to each (imported from the development PFX files that "Create Development Certificates" wrote, taken as
 * they are from a secret the parameters file points at, or missing with what to do), what that changes in the vault
 * (for the confirmation), and the import itself after the confirmation: src/deploy/key-vault creates a missing
 * vault, opens its network to this machine only, gives the signed-in account a role on that vault while importing,
 * and restores both. Setting `gatewright.deploy.importDevelopmentCertificates` turns the import off.
 */
import * as vscode from 'vscode';
import { readDevPfxFiles } from '../../workspace/dev-pfx-files.js';
import { importCertificates, withCertificateParameters } from '../../deploy/key-vault/import.js';
import { formatCertificatePlan, planPreparedImports, type CertificatePlan } from '../../deploy/key-vault/plan.js';
import { resourceGroupIdOf } from '../../deploy/unique-names.js';
import { previewCertificateImport } from '../../deploy/key-vault/preview.js';
import type { PreparedDeployment } from '../../deploy/prepare.js';
import type { DeploymentInput, DeploymentTarget } from '../../deploy/target.js';
import type { Design } from '../../schemas/design.js';
import type { SignedIn } from './sign-in.js';
import type { DeployTarget } from './target.js';

export const IMPORT_SETTING = 'importDevelopmentCertificates';

interface PlanRequest {
  readonly design: Design;
  readonly doc: vscode.TextDocument;
  readonly prepared: PreparedDeployment;
  readonly signedIn: SignedIn;
  readonly target: DeployTarget;
  readonly log: vscode.LogOutputChannel;
}

export class CertificateStep {
  private constructor(
    private readonly design: Design,
    private readonly deployment: DeploymentTarget,
    private readonly plan: CertificatePlan | undefined,
    private readonly pfx: ReadonlyMap<string, Uint8Array>,
    private readonly vaultChanges: readonly string[],
    private readonly note: string | undefined,
  ) {}

  /** The plan and the vault changes it would make (read-only calls only). */
  static async plan(request: PlanRequest): Promise<CertificateStep> {
    const { design, doc, prepared, signedIn, target } = request;
    const deployment: DeploymentTarget = { credential: signedIn.credential, endpoint: signedIn.endpoint, subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup };
    const enabled = vscode.workspace.getConfiguration('gatewright.deploy', doc.uri).get<boolean>(IMPORT_SETTING, true);
    if (!enabled) {
      return new CertificateStep(design, deployment, undefined, new Map(), [], `Key Vault: development certificates are not imported (setting gatewright.deploy.${IMPORT_SETTING} is off).`);
    }
    const { pfx } = await readDevPfxFiles(doc.uri.fsPath, design);
    const { plan, pfx: used } = planPreparedImports(design, prepared, pfx, 'Gatewright: Create Development Certificates', resourceGroupIdOf(deployment));
    const changes = plan.vaults.length ? (await previewCertificateImport(deployment, plan, { input: prepared.input! })).flatMap((p) => p.lines) : [];
    return new CertificateStep(design, deployment, plan, used, changes, undefined);
  }

  /** The plan for the output: one line per certificate, then the vault changes. */
  describe(): string[] {
    if (this.note) return [this.note];
    if (!this.plan || this.plan.certificates.length === 0) return [];
    return [...formatCertificatePlan(this.plan).trimEnd().split('\n'), ...this.vaultChanges];
  }

  /** What the confirmation must say the deployment will change in Key Vault first. */
  confirmationLines(): string[] {
    if (!this.plan?.vaults.length) return [];
    const count = this.plan.vaults.reduce((n, v) => n + v.certificateIds.length, 0);
    return [`Before deploying: ${count} development certificate${count === 1 ? '' : 's'} imported into Key Vault.`, ...this.vaultChanges];
  }

  /** Imports (after the confirmation); the deployment input with the imported certificates' real secret URIs. */
  async run(input: DeploymentInput, onStep: (message: string) => void, signal: AbortSignal): Promise<DeploymentInput> {
    if (!this.plan?.vaults.length) return input;
    const result = await importCertificates(this.deployment, this.plan, { design: this.design, input, pfx: this.pfx, onStep, signal });
    for (const c of result.certificates) if (c.parameter) onStep(`${c.parameter} = ${c.secretUri}`);
    return withCertificateParameters(input, result);
  }
}
