/**
 * `gatewright deploy FILE --subscription ID --resource-group NAME [--location L] [--what-if] [--yes] [--out DIR]
 * [--format text|json] [--summary FILE] [--fail-on-changes]`:
 * validates FILE (an error finding stops it), generates, asks once for the parameters the design cannot know (and
 * keeps the answers, never a secret, next to FILE), reads the subscription (with a token of its own tenant when
 * Resource Manager names another), prints which certificates go into Key Vault (the development PFX files of
 * `gatewright certs dev`, in --private or certs/private/ next to FILE), runs what-if and prints it (a missing resource
 * group previewed as new, not created; a failed what-if stops the run), checks the globally unique names it would
 * create; with --what-if stops there. Otherwise it says what the import will change in the vaults and asks "Deploy to
 * subscription X, resource group Y? [y/N]" unless --yes (a run with no terminal and no --yes refuses before touching
 * anything), creates a missing resource group, imports the certificates (creating a missing vault
 * first, opening its network to this machine only and restoring it; --no-import-certificates skips this), deploys
 * with one line per resource and its state, prints the outputs, and applies each cluster's manifests through the AKS
 * run command.
 * Credentials: workload identity federation when the environment configures it, the Azure CLI's sign-in, then the
 * default chain (cliCredential). The Resource Manager endpoint: --endpoint, else GATEWRIGHT_ARM_ENDPOINT, else the
 * public cloud's.
 * For pipelines: --summary FILE appends the what-if as Markdown (../deploy/what-if-markdown.ts), --fail-on-changes
 * (with --what-if) exits 1 on drift, --format json prints one JSON document on stdout (./deploy-report.ts) and the
 * text on stderr. Exit 1 is a failure or drift; a sign-in or target problem is exit 2, as a usage error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { armEndpoint, type PipelineOptions } from '../deploy/connection.js';
import { cliCredential, type TokenCredential } from '../deploy/credential.js';
import { describeFailure, type DeployResult } from '../deploy/deploy.js';
import { ask, progressDisplay, type TerminalIo } from './deploy-terminal.js';
import { DeployError } from '../deploy/errors.js';
import { importCertificates, withCertificateParameters, type PropagationOptions } from '../deploy/key-vault/import.js';
import { formatCertificatePlan, planPreparedImports, type PreparedImport } from '../deploy/key-vault/plan.js';
import { previewCertificateImport } from '../deploy/key-vault/preview.js';
import { formatDuration, parseIsoDuration } from '../deploy/history.js';
import { indent } from '../deploy/indent.js';
import { formatOutputs } from '../deploy/outputs.js';
import { resourceGroupIdOf, uniqueNames } from '../deploy/unique-names.js';
import { parametersFileFor, parseAnswer, parseParametersFile, serializeParametersFile, type TemplateParameter } from '../deploy/parameters.js';
import { prepareDeployment, type PreparedDeployment } from '../deploy/prepare.js';
import { APPLY_COMMAND } from '../deploy/run-command.js';
import { DeploymentSession } from '../deploy/session.js';
import { openSubscription } from '../deploy/subscriptions.js';
import { formatWhatIf, whatIfFailed } from '../deploy/what-if-summary.js';
import { checkNewNames, describeTakenNames } from '../deploy/names.js';
import { describeApimExistence } from '../deploy/apim-exists.js';
import { parseDesign } from '../document/parse.js';
import { caPemsOf } from '../generators/ca-pems.js';
import { generate } from '../generators/generate.js';
import type { Design } from '../schemas/design.js';
import { analyze } from '../validation/analyze.js';
import type { CertificateFile } from '../model/design-index.js';
import { EXIT_FAILED as FAILED, EXIT_OK as OK, EXIT_USAGE as USAGE_STATUS, notEmpty, oneOf, parseCommandArgs, usageError } from './args.js';
import { readCertificateFiles } from '../workspace/certificate-files.js';
import { readDesign } from '../workspace/design-file.js';
import { readDevPfxFiles } from '../workspace/dev-pfx-files.js';
import { readRegularFile } from '../workspace/fs.js';
import { writeGenerated } from '../workspace/generated.js';
import { writeFileAtomic } from '../workspace/fs.js';
import { formatText, styleFor } from './report.js';
import { USAGE } from './usage.js';
import { PROGRAM } from './version.js';
import { errorFirstLine, errorMessage } from '../model/error-message.js';
import { KeyVaultRestoreError } from '../deploy/key-vault/import.js';
import { driftCount, whatIfMarkdown } from '../deploy/what-if-markdown.js';
import { appendToFile } from '../workspace/append.js';
import { deployErrorJson, deploymentErrors, deploymentJson, manifestJson, newReport, whatIfJson, type DeployReport, type ErrorCode } from './deploy-report.js';

/** What the deploy command needs beyond the other commands' io; main.ts gives none of it (the process is used). */
export interface DeployIo extends TerminalIo {
  /** Whether someone is there to answer. Default: stdin and stdout are terminals. */
  readonly interactive?: boolean;
  /** The credential (default: Azure CLI, then the default chain) and SDK pipeline options; tests pass their own. */
  readonly credential?: TokenCredential;
  readonly pipeline?: PipelineOptions;
  readonly pollIntervalMs?: number;
  /** Aborting cancels the deployment. Default: Ctrl-C (SIGINT) while deploying. */
  readonly signal?: AbortSignal;
  /** How long the Key Vault import waits for network and role changes to take effect (tests shorten it). */
  readonly propagation?: PropagationOptions;
}

export const ENDPOINT_VARIABLE = 'GATEWRIGHT_ARM_ENDPOINT';

/** The run stops: the message, the exit status, and the code --format json reports (a file problem by default). */
class Stop extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ErrorCode = 'FILE_PROBLEM',
  ) {
    super(message);
  }
}

/** What one run needs besides its options: the io it writes human text to, and the JSON report it fills in. */
interface Run {
  readonly io: DeployIo;
  readonly report: DeployReport;
}

export async function deployCommand(args: readonly string[], rawIo: DeployIo): Promise<number> {
  // A usage error (thrown before there is a report) is printed by runCli with the usage, as for every command.
  const options = parseOptions(args, rawIo);
  if (options === 'help') {
    rawIo.out(USAGE_TEXT());
    return OK;
  }
  // With --format json, stdout carries the JSON document alone: what is said to people goes to stderr.
  const io: DeployIo = options.format === 'json' ? { ...rawIo, out: (text) => rawIo.err(text) } : rawIo;
  const report = newReport({ mode: options.whatIfOnly ? 'what-if' : 'deploy', file: options.file, subscriptionId: options.subscriptionId, resourceGroup: options.resourceGroup, endpoint: options.endpoint });
  const ctx: Run = { io, report };
  let cleanup: (() => Promise<void>) | undefined;
  let status: number;
  try {
    refuseUnconfirmable(options);
    const prepared = await prepare(options, ctx, (fn) => (cleanup = fn));
    status = await run(options, prepared, ctx);
  } catch (e) {
    status = failure(e, ctx);
  } finally {
    await cleanup?.();
  }
  report.exitCode = status;
  if (status !== OK) report.status = report.status === 'drift' && status === FAILED ? 'drift' : 'failed';
  else report.status = 'succeeded';
  if (options.format === 'json') rawIo.out(`${JSON.stringify(report, null, 2)}\n`);
  return status;
}

/**
 * How a run that stopped ends: its message on stderr, its error in the report, and the exit status. A credential
 * that gives no token, and a subscription that cannot be read (missing, of no access, unreachable), are problems of
 * the target: exit 2, as a usage error, so that exit 1 always means the design, the what-if or the deployment failed
 * (or, with --fail-on-changes, drift) and never that the run could not even look.
 */
function failure(e: unknown, { io, report }: Run): number {
  if (e instanceof Stop) {
    io.err(`${PROGRAM}: deploy: ${e.message}\n`);
    report.errors.push({ code: e.code, message: e.message });
    return e.status;
  }
  if (e instanceof TargetProblem) {
    io.err(`${PROGRAM}: ${e.error.describe()}\n`);
    report.errors.push(deployErrorJson(e.error.kind === 'unauthorized' ? 'CREDENTIALS' : 'TARGET', e.error));
    return USAGE_STATUS;
  }
  if (e instanceof DeployError) {
    io.err(`${PROGRAM}: ${e.describe()}\n`);
    if (e.kind === 'unauthorized') {
      report.errors.push(deployErrorJson('CREDENTIALS', e));
      return USAGE_STATUS;
    }
    report.errors.push(deployErrorJson(e instanceof KeyVaultRestoreError ? 'CERTIFICATE_IMPORT_FAILED' : 'AZURE_REQUEST_FAILED', e));
    return FAILED;
  }
  io.err(`${PROGRAM}: deploy: internal error: ${errorFirstLine(e)}\n`);
  report.errors.push({ code: 'INTERNAL', message: errorFirstLine(e) });
  return USAGE_STATUS;
}

/** A DeployError met while reaching the target (signing in, reading the subscription and the resource group). */
class TargetProblem extends Error {
  constructor(readonly error: DeployError) {
    super(error.message);
  }
}

/** Nothing is deployed without an explicit confirmation: with no one to ask and no --yes, refuse before touching anything. */
function refuseUnconfirmable(options: Options): void {
  if (!options.whatIfOnly && !options.yes && !options.interactive) {
    throw new Stop(
      `nothing deployed: deploying needs a confirmation and there is no terminal to ask on. Run again with --yes to deploy ${options.file} to subscription ${options.subscriptionId}, resource group ${options.resourceGroup}, or with --what-if to preview the changes.`,
      USAGE_STATUS,
      'CONFIRMATION_REQUIRED',
    );
  }
}

function USAGE_TEXT(): string {
  return USAGE.deploy;
}

// ---------------------------------------------------------------- options

interface Options {
  readonly file: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location?: string;
  readonly whatIfOnly: boolean;
  readonly yes: boolean;
  readonly out?: string;
  readonly root?: string;
  readonly endpoint: string;
  readonly interactive: boolean;
  /** Import the development certificates into Key Vault (false with --no-import-certificates). */
  readonly importCertificates: boolean;
  readonly clientIp?: string;
  readonly privateDir?: string;
  /** text: people read stdout; json: stdout is one JSON document (./deploy-report.ts), the rest goes to stderr. */
  readonly format: DeployFormat;
  /** The file the what-if's Markdown summary is appended to (--summary; $GITHUB_STEP_SUMMARY in GitHub Actions). */
  readonly summary?: string;
  /** With --what-if: exit 1 when the what-if reports a create, modify or delete. */
  readonly failOnChanges: boolean;
}

export const DEPLOY_FORMATS = ['text', 'json'] as const;
export type DeployFormat = (typeof DEPLOY_FORMATS)[number];

function parseOptions(args: readonly string[], io: DeployIo): Options | 'help' {
  const { values, positionals } = parseCommandArgs('deploy', args, {
    subscription: { type: 'string', short: 's' },
    'resource-group': { type: 'string', short: 'g' },
    location: { type: 'string', short: 'l' },
    'what-if': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    out: { type: 'string', short: 'o' },
    root: { type: 'string' },
    endpoint: { type: 'string' },
    'no-import-certificates': { type: 'boolean' },
    'client-ip': { type: 'string' },
    private: { type: 'string' },
    format: { type: 'string', short: 'f' },
    summary: { type: 'string' },
    'fail-on-changes': { type: 'boolean' },
  });
  if (values.help) return 'help';
  if (positionals.length === 0) throw usageError('deploy', 'FILE is missing');
  if (positionals.length > 1) throw usageError('deploy', `unexpected argument "${positionals[1]}"`);
  const file = positionals[0]!;
  const subscriptionId = values.subscription?.trim();
  const resourceGroup = values['resource-group']?.trim();
  if (!subscriptionId) throw usageError('deploy', '--subscription ID is required (az account list shows yours)');
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(subscriptionId)) {
    throw usageError('deploy', `--subscription "${subscriptionId}" is not a subscription id (a GUID)`);
  }
  if (!resourceGroup) throw usageError('deploy', '--resource-group NAME is required');
  if (!/^[-\w.()]{1,90}$/u.test(resourceGroup) || resourceGroup.endsWith('.')) {
    throw usageError('deploy', `--resource-group "${resourceGroup}" is not a resource group name (1-90 letters, digits, - _ . ( ), not ending with a period)`);
  }
  if (values.location !== undefined && !/^[a-z][a-z0-9]{1,39}$/i.test(values.location)) {
    throw usageError('deploy', `--location "${values.location}" is not an Azure region name (such as westeurope)`);
  }
  notEmpty('deploy', values, ['out', 'root', 'private', 'summary']);
  const format = oneOf('deploy', 'format', values.format, DEPLOY_FORMATS, 'text');
  if (values['fail-on-changes'] === true && values['what-if'] !== true) {
    throw usageError('deploy', '--fail-on-changes needs --what-if (it reports drift; it never deploys)');
  }
  const clientIp = values['client-ip']?.trim();
  if (clientIp !== undefined && isIP(clientIp) === 0) {
    throw usageError('deploy', `--client-ip "${clientIp}" is not an IP address (this machine's public address, such as 203.0.113.7)`);
  }
  const importing = values['no-import-certificates'] !== true;
  if (!importing && (clientIp !== undefined || values.private !== undefined)) {
    throw usageError('deploy', `--${clientIp !== undefined ? 'client-ip' : 'private'} has no use with --no-import-certificates`);
  }
  let endpoint: string;
  try {
    endpoint = armEndpoint(values.endpoint ?? io.env[ENDPOINT_VARIABLE]);
  } catch (e) {
    throw usageError('deploy', `${errorMessage(e)}${values.endpoint === undefined ? ` (from ${ENDPOINT_VARIABLE})` : ''}`);
  }
  const interactive = io.interactive ?? (process.stdin.isTTY === true && io.isTTY);
  const whatIfOnly = values['what-if'] === true;
  const yes = values.yes === true;
  return {
    file,
    subscriptionId,
    resourceGroup,
    ...(values.location ? { location: values.location.toLowerCase() } : {}),
    whatIfOnly,
    yes,
    ...(values.out ? { out: values.out } : {}),
    ...(values.root ? { root: values.root } : {}),
    endpoint,
    interactive,
    importCertificates: importing,
    ...(clientIp !== undefined ? { clientIp } : {}),
    ...(values.private !== undefined ? { privateDir: values.private } : {}),
    format,
    ...(values.summary !== undefined ? { summary: values.summary } : {}),
    failOnChanges: values['fail-on-changes'] === true,
  };
}

// ---------------------------------------------------------------- validate, generate, parameters

interface Prepared {
  readonly design: Design;
  readonly deployment: PreparedDeployment;
  /** The certificates that go into Key Vault, with the PFX bytes of those imported; absent with --no-import-certificates. */
  readonly certificates?: PreparedImport;
}

async function prepare(options: Options, { io, report }: Run, setCleanup: (fn: () => Promise<void>) => void): Promise<Prepared> {
  const path = resolve(io.cwd, options.file);
  const read = await readDesign(path);
  if (!read.ok) throw new Stop(`cannot read ${options.file}: ${read.reason}`, USAGE_STATUS);
  const text = read.text;
  const pre = parseDesign(text);
  const files: ReadonlyMap<string, CertificateFile> = pre.design
    ? await readCertificateFiles(path, pre.design, options.root === undefined ? undefined : resolve(io.cwd, options.root))
    : new Map();
  const analysis = analyze(text, io.now ? { files, now: io.now } : { files });
  const { findings, summary } = analysis;
  if (summary.errors > 0 || !analysis.design) {
    const errors = findings.filter((f) => f.severity === 'error');
    io.err(formatText(options.file, errors, { ...summary, warnings: 0, infos: 0 }, styleFor(false, io.env)));
    for (const f of errors) {
      report.errors.push({ code: 'VALIDATION_FAILED', message: `${options.file}${f.location ? `:${f.location.line}:${f.location.column}` : ''}: ${f.ruleId} ${f.message}` });
    }
    throw new Stop('nothing deployed: fix the errors above first', FAILED, 'VALIDATION_FAILED');
  }
  const design = analysis.design;
  report.target.design = design.metadata.name;

  // Generate into --out (as `gatewright generate` does) or a temporary folder removed at the end.
  let outDir: string;
  if (options.out) {
    outDir = resolve(io.cwd, options.out);
  } else {
    outDir = await mkdtemp(join(tmpdir(), 'gatewright-deploy-'));
    setCleanup(() => rm(outDir, { recursive: true, force: true }));
  }
  const generated = generate(design, { caPems: caPemsOf(design, files) });
  let outcome;
  try {
    outcome = await writeGenerated({ root: outDir, outDir, files: generated.files, designPath: path, consent: () => 'cancel' });
  } catch (e) {
    throw new Stop(`cannot generate into ${options.out ?? outDir}: ${errorMessage(e)}`, USAGE_STATUS);
  }
  if (outcome.status === 'cancelled') {
    throw new Stop(
      `nothing deployed: these files in ${options.out} were edited by hand since Gatewright wrote them: ${outcome.kept.map((f) => f.path).join(', ')}. Move the changes into the design, or choose another --out.`,
      USAGE_STATUS,
    );
  }
  if (outcome.failed.length > 0) throw new Stop(`cannot generate into ${options.out ?? outDir}: ${outcome.failed.join('; ')}`, USAGE_STATUS);
  for (const w of generated.warnings) io.err(`${PROGRAM}: warning: ${w}\n`);
  if (options.out) io.out(`Generated ${options.file} into ${options.out} (${outcome.written.size} files written, ${outcome.unchanged.length} unchanged).\n`);

  // Parameters: the generated ones, the saved answers, and questions for what is still missing.
  const parametersPath = parametersFileFor(path);
  const shown = relative(io.cwd, parametersPath) || parametersPath;
  const saved = await readSaved(parametersPath, shown);
  let deployment = prepareDeployment(design, generated.files, saved, resourceGroupIdOf(options));
  if (deployment.merged.refused.length) {
    throw new Stop(
      `${shown} holds what looks like a secret, which Gatewright never stores or sends from a file: ${deployment.merged.refused.map((r) => `"${r.name}" (${r.reason})`).join('; ')}. Remove it from the file.`,
      USAGE_STATUS,
    );
  }
  for (const name of deployment.merged.unknown) io.err(`${PROGRAM}: note: ${shown} gives "${name}", which the template does not declare; it is left out\n`);
  if (deployment.merged.missing.length) {
    const missing = deployment.merged.missing;
    if (!options.interactive) {
      throw new Stop(
        `the design cannot know ${missing.length === 1 ? 'this parameter' : 'these parameters'}; put ${missing.length === 1 ? 'its value' : 'their values'} in ${shown} (values only, never a secret) or run in a terminal to be asked:\n${missing.map((p) => `  ${p.name} (${p.type})${p.description ? `: ${p.description}` : ''}\n`).join('')}`,
        USAGE_STATUS,
        'PARAMETERS_MISSING',
      );
    }
    const answers: Record<string, unknown> = { ...saved };
    io.out(`The design cannot know ${missing.length === 1 ? 'one parameter' : `${missing.length} parameters`}; the answers are kept in ${shown} (never a secret).\n`);
    for (const p of missing) answers[p.name] = await askParameter(p, io);
    try {
      // Atomic and never through a link, like every other file Gatewright writes.
      await writeFileAtomic(dirname(parametersPath), parametersPath, serializeParametersFile(answers, deployment.template));
    } catch (e) {
      throw new Stop(`cannot write ${shown}: ${errorMessage(e)}`, USAGE_STATUS);
    }
    io.out(`Saved the answers to ${shown}.\n`);
    deployment = prepareDeployment(design, generated.files, answers, resourceGroupIdOf(options));
  }
  if (!options.importCertificates) return { design, deployment };

  // The development PFX files certs dev wrote (read here, handed to src/deploy as bytes).
  let pfx: ReadonlyMap<string, Uint8Array>;
  try {
    pfx = (await readDevPfxFiles(path, design, options.privateDir === undefined ? undefined : resolve(io.cwd, options.privateDir))).pfx;
  } catch (e) {
    throw new Stop(`cannot read the development PFX files: ${errorMessage(e)}`, USAGE_STATUS);
  }
  return { design, deployment, certificates: planPreparedImports(design, deployment, pfx, `${PROGRAM} certs dev ${options.file}`, resourceGroupIdOf(options)) };
}

async function readSaved(path: string, shown: string): Promise<Record<string, unknown>> {
  // Opened once and judged by its handle: a FIFO or a device there is refused, not waited on.
  const read = await readRegularFile(path, { maxBytes: 1024 * 1024, followLinks: true });
  if (!read.ok && read.kind === 'missing') return {};
  if (!read.ok) throw new Stop(`cannot read ${shown}: ${read.reason}`, USAGE_STATUS);
  const text = read.bytes.toString('utf8');
  const { values, problems } = parseParametersFile(text);
  if (problems.length) throw new Stop(`${shown}: ${problems.join('; ')}`, USAGE_STATUS);
  return values;
}

async function askParameter(p: TemplateParameter, io: DeployIo): Promise<unknown> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await ask(io, `${p.name} (${p.type})${p.description ? ` - ${p.description}` : ''}\n  value: `);
    if (answer === undefined) throw new Stop(`no value given for parameter "${p.name}": nothing deployed`, USAGE_STATUS, 'PARAMETERS_MISSING');
    try {
      return parseAnswer(p, answer);
    } catch (e) {
      io.err(`${PROGRAM}: ${errorMessage(e)}\n`);
    }
  }
  throw new Stop(`no valid value for parameter "${p.name}": nothing deployed`, USAGE_STATUS, 'PARAMETERS_MISSING');
}

// ---------------------------------------------------------------- Azure

async function run(options: Options, prepared: Prepared, { io, report }: Run): Promise<number> {
  const { design, deployment, certificates } = prepared;
  let input = deployment.input!;
  const credential = io.credential ?? cliCredential({ env: io.env });
  const signedIn = { credential, endpoint: options.endpoint, ...(io.pipeline ? { pipeline: io.pipeline } : {}) };
  // A subscription of another tenant is read again with a token of that tenant; every later call uses that token.
  const { subscription, connection, tenantId } = await reaching(() => openSubscription(signedIn, options.subscriptionId));
  report.target.subscriptionName = subscription.displayName || null;
  report.target.tenantId = tenantId ?? null;
  const session = new DeploymentSession({
    ...connection,
    subscriptionId: options.subscriptionId,
    resourceGroup: options.resourceGroup,
    location: options.location ?? design.metadata.location,
    design,
    ...(io.pollIntervalMs !== undefined ? { pollIntervalMs: io.pollIntervalMs } : {}),
  });

  const subscriptionLabel = subscription.displayName && subscription.displayName !== options.subscriptionId ? `"${subscription.displayName}" (${options.subscriptionId})` : options.subscriptionId;
  const named = uniqueNames(prepared.design, resourceGroupIdOf(options));
  if (named.length) io.out(`Globally unique names in resource group ${options.resourceGroup}: ${named.map((n) => `${n.shown} -> ${n.name}`).join(', ')}.\n`);
  io.out(`Subscription ${subscriptionLabel}${tenantId ? ` in tenant ${tenantId}` : ''}${options.endpoint !== 'https://management.azure.com' ? ` at ${options.endpoint}` : ''}.\n`);
  // A missing resource group is previewed as new and created only once the deployment goes ahead: --what-if changes nothing.
  const existing = await reaching(() => session.getResourceGroup());
  report.target.resourceGroupExists = existing !== undefined;
  report.target.location = existing?.location ?? session.location;
  io.out(
    existing
      ? `Resource group ${existing.name} (${existing.location}).\n`
      : `Resource group ${options.resourceGroup} does not exist: the what-if previews it as new, without creating it${options.whatIfOnly ? '' : `; it is created in ${session.location} only if the deployment goes ahead`}.\n`,
  );

  // API Management is declared once with its custom domain when it exists: its <id>Exists parameters say so, for the
  // what-if as for the deployment.
  const apim = await session.withApimExistence(input, { groupExists: existing !== undefined });
  input = apim.input;
  for (const line of describeApimExistence(apim.existence)) io.out(`${line}\n`);

  io.out(certificates ? formatCertificatePlan(certificates.plan) : 'Certificates: not imported into Key Vault (--no-import-certificates).\n');

  io.out('Running what-if...\n');
  const summary = existing ? await session.whatIf(input) : await session.whatIfNewGroup(input);
  io.out(formatWhatIf(summary));
  report.whatIf = whatIfJson(summary);
  if (options.summary) {
    const markdown = whatIfMarkdown(
      summary,
      {
        designName: design.metadata.name,
        file: options.file,
        subscriptionId: options.subscriptionId,
        ...(subscription.displayName ? { subscriptionName: subscription.displayName } : {}),
        resourceGroup: options.resourceGroup,
        resourceGroupExists: existing !== undefined,
        location: existing?.location ?? session.location,
      },
      design,
    );
    const appended = await appendToFile(resolve(io.cwd, options.summary), markdown);
    if (!appended.ok) throw new Stop(`cannot append the what-if summary to ${options.summary}: ${appended.reason}`, USAGE_STATUS);
    io.out(`Appended the what-if summary to ${options.summary}.\n`);
  }
  // Resource Manager may answer a what-if it could not run with HTTP 200 and status Failed: nothing is known of the
  // changes, so nothing goes further, not even with --yes.
  if (whatIfFailed(summary)) {
    throw new Stop(`nothing deployed: the what-if failed${summary.error ? ` (${summary.error.code})` : ''}, so what the deployment would change is unknown. Fix what Resource Manager says above, then run again.`, FAILED, 'WHAT_IF_FAILED');
  }
  // Names unique in all of Azure that someone else holds would fail the deployment halfway: said before anything is created.
  const names = await checkNewNames(session.target, summary);
  const taken = describeTakenNames(names, design);
  if (taken.length) {
    throw new Stop(`nothing deployed: ${taken.length === 1 ? 'a name' : `${taken.length} names`} the deployment would create ${taken.length === 1 ? 'is' : 'are'} taken:\n${taken.map((l) => `  ${l}\n`).join('')}`.trimEnd(), FAILED, 'NAME_TAKEN');
  }
  if (names.length) io.out(`Names: ${names.map((n) => n.name).join(', ')} ${names.length === 1 ? 'is' : 'are'} free.\n`);

  // What the import will change in the vaults, from read-only calls: said before anyone confirms.
  const importing = certificates && certificates.plan.vaults.length > 0 ? certificates : undefined;
  const vaultChanges = importing
    ? (await previewCertificateImport(session.target, importing.plan, { input, ...(options.clientIp ? { clientIp: options.clientIp } : {}) })).flatMap((p) => p.lines)
    : [];
  if (options.whatIfOnly) {
    if (vaultChanges.length) io.out(`Deploying would first change Key Vault:\n${vaultChanges.map((l) => `  ${l}\n`).join('')}`);
    io.out('Nothing deployed (--what-if).\n');
    if (!options.failOnChanges) return OK;
    const drift = driftCount(summary);
    if (drift === 0) {
      io.out('No drift: the what-if reports nothing to create, modify or delete (--fail-on-changes).\n');
      return OK;
    }
    const counts = (['create', 'modify', 'delete'] as const).filter((k) => summary.counts[k] > 0).map((k) => `${summary.counts[k]} to ${k}`);
    io.out(`Drift: the what-if reports ${counts.join(', ')} (--fail-on-changes).\n`);
    report.status = 'drift';
    return FAILED;
  }

  if (!options.yes) {
    const before = vaultChanges.length ? `Before deploying, Gatewright will change Key Vault:\n${vaultChanges.map((l) => `  ${l}\n`).join('')}` : '';
    const answer = await ask(
      io,
      `${before}Deploy to subscription ${subscriptionLabel}, resource group ${options.resourceGroup}${existing ? '' : ` (created in ${session.location})`}${vaultChanges.length ? ', after these Key Vault changes' : ''}? [y/N] `,
    );
    if (!answer || !/^y(es)?$/i.test(answer.trim())) {
      io.out('Nothing deployed.\n');
      report.errors.push({ code: 'NOT_CONFIRMED', message: 'The deployment was not confirmed: nothing deployed.' });
      return FAILED;
    }
  } else if (vaultChanges.length) {
    io.out(`Before deploying, Gatewright changes Key Vault:\n${vaultChanges.map((l) => `  ${l}\n`).join('')}`);
  }

  if (!existing) {
    const { group } = await session.ensureResourceGroup();
    io.out(`Created resource group ${group.name} in ${group.location}.\n`);
  }

  const controller = new AbortController();
  const signal = io.signal ?? controller.signal;
  let stage = importing ? 'the certificate import (the vaults are restored before it stops)' : 'the deployment (Ctrl-C again to stop waiting; the cancellation goes on in Azure)';
  const onInterrupt = () => {
    io.err(`\n${PROGRAM}: canceling ${stage}...\n`);
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  if (!io.signal) process.once('SIGINT', onInterrupt);
  const display = progressDisplay(io);
  let result: DeployResult;
  try {
    if (importing) {
      io.out(`Importing ${importing.plan.vaults.reduce((n, v) => n + v.certificateIds.length, 0)} certificate(s) into Key Vault...\n`);
      const imported = await importCertificates(session.target, importing.plan, {
        design,
        input,
        pfx: importing.pfx,
        signal,
        onStep: (message) => io.out(`  ${message}\n`),
        ...(options.clientIp ? { clientIp: options.clientIp } : {}),
        ...(io.now ? { now: io.now } : {}),
        ...(io.pollIntervalMs !== undefined ? { pollIntervalMs: io.pollIntervalMs } : {}),
        ...(io.propagation ? { propagation: io.propagation } : {}),
      });
      input = withCertificateParameters(input, imported);
      for (const c of imported.certificates) if (c.parameter) io.out(`  ${c.parameter} = ${c.secretUri}\n`);
      stage = 'the deployment (Ctrl-C again to stop waiting; the cancellation goes on in Azure)';
    }
    result = await session.deploy(input, { signal, onProgress: display.update, ...(io.now ? { now: io.now } : {}) });
  } finally {
    if (!io.signal) process.removeListener('SIGINT', onInterrupt);
  }
  display.done();
  report.deployment = deploymentJson(result);
  if (result.state !== 'Succeeded') {
    io.err(describeFailure(result));
    report.errors.push(...deploymentErrors(result));
    return FAILED;
  }
  const ms = result.duration ? parseIsoDuration(result.duration) : undefined;
  io.out(`Deployment ${result.deploymentName} succeeded${ms !== undefined ? ` in ${formatDuration(ms)}` : ''}.\nOutputs:\n${indent(formatOutputs(result.outputs))}`);

  let status = OK;
  for (const cluster of deployment.clusters) {
    io.out(`Applying ${cluster.folder} to AKS cluster ${cluster.clusterName} through the run command (${APPLY_COMMAND})...\n`);
    const outcome = await session.applyManifests(cluster.clusterName, cluster.files);
    if (outcome.logs) io.out(indent(outcome.logs.endsWith('\n') ? outcome.logs : `${outcome.logs}\n`));
    report.manifests.push(manifestJson(cluster.clusterName, outcome));
    if (outcome.state !== 'Succeeded' || outcome.exitCode !== 0) {
      io.err(
        `${PROGRAM}: ${APPLY_COMMAND} on ${cluster.clusterName} ${outcome.state !== 'Succeeded' ? `did not run (${outcome.state}${outcome.reason ? `: ${outcome.reason}` : ''})` : `exited with ${outcome.exitCode}`}; the generated k8s/README.md says what the manifests need before they apply (${PROGRAM} generate ${options.file} --out DIR writes it)\n`,
      );
      status = FAILED;
      report.errors.push({ code: 'RUN_COMMAND_FAILED', message: `${APPLY_COMMAND} on ${cluster.clusterName} ${outcome.state !== 'Succeeded' ? `did not run (${outcome.state})` : `exited with ${outcome.exitCode}`}.` });
    } else {
      io.out(`${cluster.clusterName}: exit code 0.\n`);
    }
  }
  return status;
}

/** Runs a call that reaches the target; a DeployError of it is a TargetProblem (exit 2). */
async function reaching<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw e instanceof DeployError ? new TargetProblem(e) : e;
  }
}
