/**
 * `gatewright ci bootstrap FILE --environment NAME [--subscription ID] [--yes] [--write-github] [--endpoint URL]`:
 * validates FILE (an error finding stops it), generates its bootstrap template in memory
 * (src/generators/delivery/bootstrap.ts: the identity the pipelines sign in as, its federated credentials and roles)
 * and deploys it into the environment's resource group (created when missing) through src/deploy, as `deploy` does;
 * then prints the values the pipelines need: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_SUBSCRIPTION_ID. For GitHub,
 * --write-github sets them with the GitHub CLI: on the environment (the deployment job) and, suffixed with the
 * environment, on the repository (the what-if and drift jobs, which have no environment).
 * Credentials and endpoint as for `deploy`: the Azure CLI's sign-in, then the default chain; --endpoint or
 * GATEWRIGHT_ARM_ENDPOINT.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { armEndpoint } from '../deploy/connection.js';
import { cliCredential } from '../deploy/credential.js';
import { describeFailure } from '../deploy/deploy.js';
import { DeployError } from '../deploy/errors.js';
import { DeploymentSession } from '../deploy/session.js';
import { openSubscription } from '../deploy/subscriptions.js';
import { bootstrapDeployment, githubVariableCalls, signInValues, valuesToSet, type SignInValues } from '../deploy/bootstrap.js';
import { deliveryContext, type EnvironmentContext } from '../generators/delivery/index.js';
import { errorFirstLine, errorMessage } from '../model/error-message.js';
import { analyzeFile } from './analyze-file.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, onePositional, parseCommandArgs, UsageError, usageError } from './args.js';
import type { DeployIo } from './deploy.js';
import { ENDPOINT_VARIABLE } from './deploy.js';
import { ask } from './deploy-terminal.js';
import { formatText, styleFor } from './report.js';
import { USAGE } from './usage.js';
import { PROGRAM } from './version.js';

export const CI_SUBCOMMANDS = ['bootstrap'] as const;

/** What `ci` needs beyond deploy's io: how the GitHub CLI is run (tests pass a recorder; default: `gh` on PATH). */
export interface CiIo extends DeployIo {
  readonly runGh?: (args: readonly string[]) => Promise<{ code: number; stderr: string }>;
}

class Stop extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function ciCommand(args: readonly string[], io: CiIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    if (sub === undefined) throw usageError('ci', 'a subcommand is missing: ci bootstrap');
    io.out(USAGE.ci);
    return EXIT_OK;
  }
  if (sub !== 'bootstrap') throw usageError('ci', `unknown subcommand "${sub}"; subcommands: ${CI_SUBCOMMANDS.join(', ')}`);
  try {
    return await bootstrap(rest, io);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof Stop) {
      io.err(`${PROGRAM}: ci bootstrap: ${e.message}\n`);
      return e.status;
    }
    if (e instanceof DeployError) {
      io.err(`${PROGRAM}: ${e.describe()}\n`);
      return EXIT_FAILED;
    }
    throw e;
  }
}

async function bootstrap(args: readonly string[], io: CiIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('ci', args, {
    environment: { type: 'string', short: 'e' },
    subscription: { type: 'string', short: 's' },
    yes: { type: 'boolean', short: 'y' },
    'write-github': { type: 'boolean' },
    endpoint: { type: 'string' },
    root: { type: 'string' },
  });
  if (values.help) {
    io.out(USAGE.ci);
    return EXIT_OK;
  }
  const file = onePositional('ci', positionals, 'FILE');
  if (values.subscription !== undefined && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(values.subscription)) {
    throw usageError('ci', `--subscription "${values.subscription}" is not a subscription id (a GUID)`);
  }
  let endpoint: string;
  try {
    endpoint = armEndpoint(values.endpoint ?? io.env[ENDPOINT_VARIABLE]);
  } catch (e) {
    throw usageError('ci', `${errorMessage(e)}${values.endpoint === undefined ? ` (from ${ENDPOINT_VARIABLE})` : ''}`);
  }

  const { analysis } = await analyzeFile(file, io.cwd, { ...(io.now ? { now: io.now } : {}), ...(values.root ? { root: values.root } : {}) });
  if (analysis.summary.errors > 0 || !analysis.design) {
    io.err(formatText(file, analysis.findings.filter((f) => f.severity === 'error'), { ...analysis.summary, warnings: 0, infos: 0 }, styleFor(false, io.env)));
    throw new Stop('nothing deployed: fix the errors above first', EXIT_FAILED);
  }
  const design = analysis.design;
  const ctx = deliveryContext(design);
  if (!ctx) throw new Stop(`${file} has no delivery section: add one (docs/design-format.md, "Delivery") to say where the pipelines deploy`, EXIT_USAGE);
  const names = ctx.environments.map((e) => e.name);
  if (values.environment === undefined && names.length > 1) throw usageError('ci', `--environment NAME is required: ${file} has ${names.join(', ')}`);
  const env = ctx.environments.find((e) => e.name === (values.environment ?? names[0]));
  if (!env) throw usageError('ci', `--environment "${values.environment}" is not an environment of ${file}; it has ${names.join(', ')}`);
  const writeGithub = values['write-github'] === true;
  if (writeGithub && ctx.delivery.provider !== 'github') throw usageError('ci', `--write-github is for provider github; ${file} delivers with ${ctx.delivery.provider}`);
  const subscriptionId = values.subscription ?? env.subscriptionId;
  const interactive = io.interactive ?? (process.stdin.isTTY === true && io.isTTY);
  if (values.yes !== true && !interactive) {
    throw new Stop(`nothing deployed: the bootstrap needs a confirmation and there is no terminal to ask on; run again with --yes`, EXIT_USAGE);
  }

  const plan = bootstrapDeployment(design, ctx, env);

  const credential = io.credential ?? cliCredential();
  const opened = await openSubscription({ credential, endpoint, ...(io.pipeline ? { pipeline: io.pipeline } : {}) }, subscriptionId);
  const session = new DeploymentSession({
    ...opened.connection,
    subscriptionId,
    resourceGroup: env.resourceGroup,
    location: env.location,
    design,
    ...(io.pollIntervalMs !== undefined ? { pollIntervalMs: io.pollIntervalMs } : {}),
  });
  io.out(`Bootstrap of environment ${env.name}: subscription ${subscriptionId}, resource group ${env.resourceGroup} (${env.location}).\n${plan.description}`);
  if (values.yes !== true) {
    const answer = await ask(io, `Deploy the bootstrap to subscription ${subscriptionId}, resource group ${env.resourceGroup}? [y/N] `);
    if (!answer || !/^y(es)?$/i.test(answer.trim())) {
      io.out('Nothing deployed.\n');
      return EXIT_FAILED;
    }
  }
  const { created, group } = await session.ensureResourceGroup();
  if (created) io.out(`Created resource group ${group.name} in ${group.location}.\n`);
  const result = await session.deploy({ template: plan.template, parameters: plan.parameters }, { deploymentName: plan.deploymentName, ...(io.now ? { now: io.now } : {}) });
  if (result.state !== 'Succeeded') {
    io.err(describeFailure(result));
    return EXIT_FAILED;
  }
  let values3: SignInValues;
  try {
    values3 = signInValues(result.deploymentName, result.outputs);
  } catch (e) {
    throw new Stop(errorMessage(e), EXIT_FAILED);
  }
  io.out(`Deployment ${result.deploymentName} succeeded.\n\n${valuesToSet(ctx.delivery.provider, env, values3, plan.subjects)}`);
  if (!writeGithub) return EXIT_OK;
  return writeGithubVariables(io, ctx.delivery.repository, env, values3);
}

async function writeGithubVariables(io: CiIo, repository: string, env: EnvironmentContext, values: SignInValues): Promise<number> {
  const run = io.runGh ?? (await ghOnPath(io.env));
  if (!run) {
    io.err(`${PROGRAM}: ci bootstrap: --write-github needs the GitHub CLI (gh) on PATH; set the variables above by hand\n`);
    return EXIT_FAILED;
  }
  const calls = githubVariableCalls(repository, env, values);
  for (const call of calls) {
    const { code, stderr } = await run(call);
    const where = call.includes('--env') ? `environment ${env.name}` : 'the repository';
    if (code !== 0) {
      io.err(`${PROGRAM}: ci bootstrap: gh ${call.slice(0, 3).join(' ')} on ${where} failed (exit ${code}): ${errorFirstLine(stderr).trim() || 'no message'}\n`);
      return EXIT_FAILED;
    }
    io.out(`Set ${call[2]} on ${where} of ${repository}.\n`);
  }
  return EXIT_OK;
}

/** Runs `gh` found on PATH, or undefined when there is none. */
async function ghOnPath(env: Readonly<Record<string, string | undefined>>): Promise<CiIo['runGh']> {
  const names = process.platform === 'win32' ? ['gh.exe', 'gh.cmd'] : ['gh'];
  for (const dir of (env.PATH ?? process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        await access(candidate, constants.X_OK);
      } catch {
        continue;
      }
      return (args) =>
        new Promise((resolve) => {
          execFile(candidate, [...args], { env: { ...process.env, ...env } }, (error, _stdout, stderr) => {
            const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
            resolve({ code, stderr: String(stderr) });
          });
        });
    }
  }
  return undefined;
}
