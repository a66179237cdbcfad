/**
 * `gatewright deploy FILE --subscription ID --resource-group NAME [--location L] [--what-if] [--yes] [--out DIR]`:
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
 * Credentials: the Azure CLI's sign-in, then the default chain. The Resource Manager endpoint: --endpoint, else
 * GATEWRIGHT_ARM_ENDPOINT, else the public cloud's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { armEndpoint, type PipelineOptions } from '../deploy/connection.js';
import { cliCredential, type TokenCredential } from '../deploy/credential.js';
import { describeFailure, type DeployProgress, type DeployResult, type OperationState } from '../deploy/deploy.js';
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
import { parseDesign } from '../document/parse.js';
import { caPemsOf } from '../generators/ca-pems.js';
import { generate } from '../generators/generate.js';
import type { Design } from '../schemas/design.js';
import { analyze } from '../validation/analyze.js';
import type { CertificateFile } from '../model/design-index.js';
import { EXIT_FAILED as FAILED, EXIT_OK as OK, EXIT_USAGE as USAGE_STATUS, notEmpty, parseCommandArgs, UsageError, usageError } from './args.js';
import { readCertificateFiles } from '../workspace/certificate-files.js';
import { readDesign } from '../workspace/design-file.js';
import { readDevPfxFiles } from '../workspace/dev-pfx-files.js';
import { readRegularFile } from '../workspace/fs.js';
import { writeGenerated } from '../workspace/generated.js';
import { formatText, styleFor } from './report.js';
import type { CliIo } from './io.js';
import { USAGE } from './usage.js';
import { PROGRAM } from './version.js';
import { errorFirstLine, errorMessage } from '../model/error-message.js';

/** What the deploy command needs beyond the other commands' io; main.ts gives none of it (the process is used). */
export interface DeployIo extends CliIo {
  /** Asks a question and returns the answer line (undefined at end of input). Default: the terminal. */
  ask?(question: string): Promise<string | undefined>;
  /** Whether someone is there to answer. Default: stdin and stdout are terminals. */
  readonly interactive?: boolean;
  /** The credential (default: Azure CLI, then the default chain) and SDK pipeline options; tests pass their own. */
  readonly credential?: TokenCredential;
  readonly pipeline?: PipelineOptions;
  readonly pollIntervalMs?: number;
  /** Aborting cancels the deployment. Default: Ctrl-C (SIGINT) while deploying. */
  readonly signal?: AbortSignal;
  /** The terminal's height, for the live progress block. Default: the process's stdout. */
  readonly rows?: number;
  /** How long the Key Vault import waits for network and role changes to take effect (tests shorten it). */
  readonly propagation?: PropagationOptions;
}

export const ENDPOINT_VARIABLE = 'GATEWRIGHT_ARM_ENDPOINT';

class Stop extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function deployCommand(args: readonly string[], io: DeployIo): Promise<number> {
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const options = parseOptions(args, io);
    if (options === 'help') {
      io.out(USAGE_TEXT());
      return OK;
    }
    const prepared = await prepare(options, io, (fn) => (cleanup = fn));
    return await run(options, prepared, io);
  } catch (e) {
    // runCli prints a usage error with the usage, as for every command.
    if (e instanceof UsageError) throw e;
    if (e instanceof Stop) {
      io.err(`${PROGRAM}: deploy: ${e.message}\n`);
      return e.status;
    }
    if (e instanceof DeployError) {
      io.err(`${PROGRAM}: ${e.describe()}\n`);
      return FAILED;
    }
    io.err(`${PROGRAM}: deploy: internal error: ${errorFirstLine(e)}\n`);
    return USAGE_STATUS;
  } finally {
    await cleanup?.();
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
}

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
  notEmpty('deploy', values, ['out', 'root', 'private']);
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
  // Nothing is deployed without an explicit confirmation: with no one to ask and no --yes, refuse before touching anything.
  if (!whatIfOnly && !yes && !interactive) {
    throw new Stop(
      `nothing deployed: deploying needs a confirmation and there is no terminal to ask on. Run again with --yes to deploy ${file} to subscription ${subscriptionId}, resource group ${resourceGroup}, or with --what-if to preview the changes.`,
      USAGE_STATUS,
    );
  }
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
  };
}

// ---------------------------------------------------------------- validate, generate, parameters

interface Prepared {
  readonly design: Design;
  readonly deployment: PreparedDeployment;
  /** The certificates that go into Key Vault, with the PFX bytes of those imported; absent with --no-import-certificates. */
  readonly certificates?: PreparedImport;
}

async function prepare(options: Options, io: DeployIo, setCleanup: (fn: () => Promise<void>) => void): Promise<Prepared> {
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
    io.err(formatText(options.file, findings.filter((f) => f.severity === 'error'), { ...summary, warnings: 0, infos: 0 }, styleFor(false, io.env)));
    throw new Stop('nothing deployed: fix the errors above first', FAILED);
  }
  const design = analysis.design;

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
      );
    }
    const answers: Record<string, unknown> = { ...saved };
    io.out(`The design cannot know ${missing.length === 1 ? 'one parameter' : `${missing.length} parameters`}; the answers are kept in ${shown} (never a secret).\n`);
    for (const p of missing) answers[p.name] = await askParameter(p, io);
    try {
      await writeFile(parametersPath, serializeParametersFile(answers, deployment.template), 'utf8');
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
    if (answer === undefined) throw new Stop(`no value given for parameter "${p.name}": nothing deployed`, USAGE_STATUS);
    try {
      return parseAnswer(p, answer);
    } catch (e) {
      io.err(`${PROGRAM}: ${errorMessage(e)}\n`);
    }
  }
  throw new Stop(`no valid value for parameter "${p.name}": nothing deployed`, USAGE_STATUS);
}

function ask(io: DeployIo, question: string): Promise<string | undefined> {
  if (io.ask) return io.ask(question);
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}

// ---------------------------------------------------------------- Azure

async function run(options: Options, prepared: Prepared, io: DeployIo): Promise<number> {
  const { design, deployment, certificates } = prepared;
  let input = deployment.input!;
  const credential = io.credential ?? cliCredential();
  const signedIn = { credential, endpoint: options.endpoint, ...(io.pipeline ? { pipeline: io.pipeline } : {}) };
  // A subscription of another tenant is read again with a token of that tenant; every later call uses that token.
  const { subscription, connection, tenantId } = await openSubscription(signedIn, options.subscriptionId);
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
  const existing = await session.getResourceGroup();
  io.out(
    existing
      ? `Resource group ${existing.name} (${existing.location}).\n`
      : `Resource group ${options.resourceGroup} does not exist: the what-if previews it as new, without creating it${options.whatIfOnly ? '' : `; it is created in ${session.location} only if the deployment goes ahead`}.\n`,
  );

  io.out(certificates ? formatCertificatePlan(certificates.plan) : 'Certificates: not imported into Key Vault (--no-import-certificates).\n');

  io.out('Running what-if...\n');
  const summary = existing ? await session.whatIf(input) : await session.whatIfNewGroup(input);
  io.out(formatWhatIf(summary));
  // Resource Manager may answer a what-if it could not run with HTTP 200 and status Failed: nothing is known of the
  // changes, so nothing goes further, not even with --yes.
  if (whatIfFailed(summary)) {
    throw new Stop(`nothing deployed: the what-if failed${summary.error ? ` (${summary.error.code})` : ''}, so what the deployment would change is unknown. Fix what Resource Manager says above, then run again.`, FAILED);
  }
  // Names unique in all of Azure that someone else holds would fail the deployment halfway: said before anything is created.
  const names = await checkNewNames(session.target, summary);
  const taken = describeTakenNames(names, design);
  if (taken.length) {
    throw new Stop(`nothing deployed: ${taken.length === 1 ? 'a name' : `${taken.length} names`} the deployment would create ${taken.length === 1 ? 'is' : 'are'} taken:\n${taken.map((l) => `  ${l}\n`).join('')}`.trimEnd(), FAILED);
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
    return OK;
  }

  if (!options.yes) {
    const before = vaultChanges.length ? `Before deploying, Gatewright will change Key Vault:\n${vaultChanges.map((l) => `  ${l}\n`).join('')}` : '';
    const answer = await ask(
      io,
      `${before}Deploy to subscription ${subscriptionLabel}, resource group ${options.resourceGroup}${existing ? '' : ` (created in ${session.location})`}${vaultChanges.length ? ', after these Key Vault changes' : ''}? [y/N] `,
    );
    if (!answer || !/^y(es)?$/i.test(answer.trim())) {
      io.out('Nothing deployed.\n');
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
  if (result.state !== 'Succeeded') {
    io.err(describeFailure(result));
    return FAILED;
  }
  const ms = result.duration ? parseIsoDuration(result.duration) : undefined;
  io.out(`Deployment ${result.deploymentName} succeeded${ms !== undefined ? ` in ${formatDuration(ms)}` : ''}.\nOutputs:\n${indent(formatOutputs(result.outputs))}`);

  let status = OK;
  for (const cluster of deployment.clusters) {
    io.out(`Applying ${cluster.folder} to AKS cluster ${cluster.clusterName} through the run command (${APPLY_COMMAND})...\n`);
    const outcome = await session.applyManifests(cluster.clusterName, cluster.files);
    if (outcome.logs) io.out(indent(outcome.logs.endsWith('\n') ? outcome.logs : `${outcome.logs}\n`));
    if (outcome.state !== 'Succeeded' || outcome.exitCode !== 0) {
      io.err(
        `${PROGRAM}: ${APPLY_COMMAND} on ${cluster.clusterName} ${outcome.state !== 'Succeeded' ? `did not run (${outcome.state}${outcome.reason ? `: ${outcome.reason}` : ''})` : `exited with ${outcome.exitCode}`}; the generated k8s/README.md says what the manifests need before they apply (${PROGRAM} generate ${options.file} --out DIR writes it)\n`,
      );
      status = FAILED;
    } else {
      io.out(`${cluster.clusterName}: exit code 0.\n`);
    }
  }
  return status;
}

// ---------------------------------------------------------------- progress on the terminal

const MARK: Record<string, string> = { Succeeded: '✓', Failed: '✗', Canceled: '-', Running: '…', Accepted: '·' };
const FINAL = new Set(['Succeeded', 'Failed', 'Canceled']);

/**
 * One line per resource with its state. On a terminal: a line is printed for good when its resource reaches a final
 * state, and a live block at the bottom (the deployment's state and the resources still in progress, as many as fit)
 * is redrawn in place. Elsewhere: a plain line whenever a resource's state changes.
 */
function progressDisplay(io: DeployIo): { update: (p: DeployProgress) => void; done: () => void } {
  let drawn = 0;
  let lastState = '';
  const line = (o: OperationState) =>
    `  ${MARK[o.state] ?? '?'} ${o.state.padEnd(9)} ${o.resourceType ?? o.operation ?? ''} ${o.resourceName ?? ''}${o.scopeName ? ` on ${o.scopeName}` : ''}${o.nodeId ? ` [${o.nodeId}]` : ''}`;
  const shown = (o: OperationState) => Boolean(o.resourceName || o.resourceType);
  return {
    update(p) {
      if (!io.isTTY) {
        if (p.state !== lastState) io.out(`Deployment ${p.deploymentName}: ${p.state}\n`);
        lastState = p.state;
        for (const o of p.changed) if (shown(o)) io.out(`${line(o)}\n`);
        return;
      }
      const all = p.operations.filter(shown);
      const live = all.filter((o) => !FINAL.has(o.state));
      const failed = all.filter((o) => o.state === 'Failed').length;
      const room = Math.max(3, (io.rows ?? process.stdout.rows ?? 24) - 4);
      const block = [
        `Deployment ${p.deploymentName}: ${p.state} (${all.length - live.length} done${failed ? `, ${failed} failed` : ''}${live.length ? `, ${live.length} in progress` : ''})`,
        ...live.slice(0, room).map(line),
        ...(live.length > room ? [`  … and ${live.length - room} more in progress`] : []),
      ];
      const finished = p.changed.filter((o) => shown(o) && FINAL.has(o.state)).map(line);
      io.out(`${drawn ? `\x1b[${drawn}A\x1b[J` : ''}${[...finished, ...block].map((l) => `${l}\n`).join('')}`);
      drawn = block.length;
    },
    done() {
      drawn = 0;
    },
  };
}

