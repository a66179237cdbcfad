/** Help texts of the command-line program. */
import { PROGRAM, VERSION } from './version.js';

export const COMMANDS = ['init', 'validate', 'generate', 'rules', 'certs', 'rehearse', 'trace', 'deploy', 'ci'] as const;
export type Command = (typeof COMMANDS)[number];

export const MAIN_USAGE = `${PROGRAM} ${VERSION}: design and validate a secure Azure API platform
(Application Gateway WAF -> API Management -> mutual TLS -> private AKS ingress).

Usage:
  ${PROGRAM} init FILE [--blank] [--name NAME] [--location REGION]
  ${PROGRAM} validate FILE [--format text|json|sarif] [--root DIR]
  ${PROGRAM} generate FILE --out DIR [--root DIR] [--force]
  ${PROGRAM} rules [--format text|json|markdown]
  ${PROGRAM} certs dev FILE [--out DIR] [--private DIR] [--days N] [--force] [--dry-run]
  ${PROGRAM} rehearse FILE [--format text|json]
  ${PROGRAM} trace FILE [--api NAME] [--format text|json]
  ${PROGRAM} deploy FILE --subscription ID --resource-group NAME [--location L] [--what-if] [--yes] [--out DIR]
                   [--no-import-certificates] [--client-ip A.B.C.D] [--private DIR]
                   [--format text|json] [--summary FILE] [--fail-on-changes]
  ${PROGRAM} ci bootstrap FILE --environment NAME [--subscription ID] [--yes] [--write-github]
  ${PROGRAM} --help | --version

Commands:
  init       write the reference architecture (or a blank design) to FILE; never overwrites
  validate   check FILE and print its findings
  generate   write the Bicep, ARM JSON, Kubernetes manifests and API Management policies of FILE to DIR
  rules      list every validation rule
  certs      certs dev: make a private CA and every certificate FILE declares, for development
  rehearse   run, on this machine, the TLS handshakes of every https and mtls edge of FILE
  trace      follow each API's request from the internet to the pod through the files FILE generates, hop by
             hop, with each check's verdict and the file and line it read
  deploy     preview (what-if) and deploy FILE to an Azure resource group (its development certificates
             imported into Key Vault first), then apply its Kubernetes manifests
  ci         ci bootstrap: create the identity the generated pipelines deploy an environment as (no secret)

Exit status: 0 success (validate: no error finding); 1 validate found at least one error, or generate,
rehearse or deploy did nothing because of one, or a rehearsal case, a trace hop or a deployment failed, or
deploy --what-if --fail-on-changes found drift (see COMMAND --help); 2 usage error, unreadable file, a file init
or generate would overwrite, or deploy could not sign in or reach its target.

Run "${PROGRAM} COMMAND --help" for a command's options.
`;

export const USAGE: Record<Command, string> = {
  init: `Usage: ${PROGRAM} init FILE [--blank] [--name NAME] [--location REGION]

Writes a design to FILE (a name ending in .gatewright.yaml), creating its folder.
By default it is the reference architecture: internet -> Application Gateway (WAF_v2) ->
API Management (internal VNet) -> mutual TLS -> private AKS ingress, with Key Vault, Container
Registry, Entra ID, managed identity, SQL Database and Cosmos DB over Private Link, Log Analytics,
Application Insights, Defender for Cloud, Sentinel and Bastion. It validates with no finding.
Never overwrites an existing file.

Options:
  --blank            write a design with no components instead
  --name NAME        metadata.name, the prefix of derived Azure resource names ([a-z][a-z0-9-]{1,19});
                     default: the file name without .gatewright.yaml when it fits, else payments (my-api with --blank)
  --location REGION  metadata.location, an Azure region name (default: westeurope)
  -h, --help         show this help

Exit status: 0 written; 2 usage error, FILE exists, or FILE cannot be written.
`,
  validate: `Usage: ${PROGRAM} validate FILE [--format text|json|sarif] [--root DIR]

Checks FILE against design format v1 and every validation rule, reading the certificate files
it names, and prints the findings.

Options:
  -f, --format FORMAT  text (default): one line per finding, FILE:LINE:COL: severity RULE message,
                       then a summary line; colored on a terminal unless NO_COLOR is set
                       json: { "findings": [...], "summary": { "errors", "warnings", "infos" } }
                       sarif: a SARIF 2.1.0 log, for code-scanning tools
  --root DIR           the workspace folder that certificate "file" paths are relative to
                       (default: the folder of FILE)
  -h, --help           show this help

Exit status: 0 no error finding; 1 at least one error finding; 2 usage error or unreadable file.
`,
  generate: `Usage: ${PROGRAM} generate FILE --out DIR [--root DIR] [--force]

Writes everything needed to run the design FILE under DIR: infra/main.bicep (and infra/modules/),
infra/main.json (the same deployment as an ARM template), infra/main.parameters.json, k8s/ (ingress
manifests with a kustomization.yaml), apim/policies/ (one policy per API) and a README.md saying how
to deploy them by hand. The same design always gives byte-identical files. Writes nothing when the
design has an error finding. DIR/.gatewright-generated.json records what was written, so that a file
edited by hand since is never overwritten without --force.

Options:
  -o, --out DIR  the output folder (created when missing)
  --root DIR     the workspace folder that certificate "file" paths are relative to (default: the
                 folder of FILE); CA certificate files found there fill in parameters and CA bundles
  --force        overwrite files edited by hand since they were generated
  -h, --help     show this help

Exit status: 0 written; 1 the design has an error finding (nothing written); 2 usage error, unreadable
file, or a hand-edited file in DIR without --force (nothing written).
`,
  rules: `Usage: ${PROGRAM} rules [--format text|json|markdown]

Lists every validation rule: id, severity, title and the source it follows.

Options:
  -f, --format FORMAT  text (default), json, or markdown (with each rule's rationale)
  -h, --help           show this help

Exit status: 0; 2 usage error.
`,
  certs: `Usage: ${PROGRAM} certs dev FILE [--out DIR] [--private DIR] [--days N] [--force] [--dry-run] [--root DIR]

Makes development certificates for the design FILE: a private CA and every certificate it declares, as it
declares them (role ca: a root with issuer self, else an intermediate of its issuer; server certificates
with their dnsNames and serverAuth; client certificates with clientAuth; keys of the design's keyAlgorithm
and keySize, RSA 2048 by default). Certificates with issuer external get a stand-in CA of their own, which
nothing but ${PROGRAM} rehearse trusts. Each certificate is valid for --days days, never past its issuer.

Writes, for each certificate ID:
  DIR/ID.pem                 the certificate and its chain (public: safe to commit)
  PRIVATE/ID.key.pem         its private key
  PRIVATE/ID.pfx             key, certificate and chain for Key Vault import, without password
PRIVATE gets mode 0700 and a .gitignore of "*"; its files mode 0600. Then sets each certificate's file
(and a notAfter the design gives) in FILE, changing nothing else of it, after printing the changes.
Running it again keeps existing keys, and keeps each certificate that still matches the design.

Options:
  -o, --out DIR    the public folder (default: certs next to FILE)
  --private DIR    the private folder (default: DIR/private)
  --days N         validity in days, 1 to 3650 (default: 90)
  --force          new keys and certificates for everything
  --dry-run        print what would be made and changed; write nothing
  --root DIR       the workspace folder that certificate "file" paths are relative to (default: the
                   folder of FILE); DIR must be inside it
  -h, --help       show this help

Exit status: 0 made; 1 the design declares certificates that cannot be made, or an existing key cannot
be kept without --force (nothing written); 2 usage error or unreadable file.
`,
  rehearse: `Usage: ${PROGRAM} rehearse FILE [--format text|json] [--certs DIR] [--private DIR] [--root DIR]

For every https and mtls edge of the design FILE, runs real TLS handshakes on this machine (127.0.0.1):
a server configured as the callee is (its server certificate and TLS minimum; an AKS ingress that
verifies client certificates trusts the CAs the design derives for it, to its verifyDepth) and a client
configured as the caller is (the CAs the design derives for it, the callee's host name, its client
certificate). It runs the handshake as designed, which must succeed, and the ones that must fail: a wrong
host name, an expired server certificate, and where client certificates are in play no client
certificate, one from another CA and an expired one, each of which must fail for the right reason. Then
prints a table: edge, case, expected, got, result, reason. Uses the certificates and keys of
"${PROGRAM} certs dev"; expired and other-CA certificates are made at run time. A design with an error
finding is not rehearsed, as it is not generated: the errors are listed and nothing runs.

Options:
  -f, --format FORMAT  text (default) or json: { "edges": [ { id, type, from, to, cases: [...] } ], "summary" }
  --certs DIR          the public certificate folder (default: certs next to FILE)
  --private DIR        the private folder (default: DIR/private)
  --root DIR           the workspace folder that certificate "file" paths are relative to
  --timeout SECONDS    how long one handshake may take (default: 5)
  -h, --help           show this help

Exit status: 0 every case behaved as expected; 1 at least one did not, or FILE has an error finding (nothing
rehearsed); 2 usage error, unreadable FILE, or missing certificates or keys (run "${PROGRAM} certs dev FILE"
first).
`,
  ci: `Usage: ${PROGRAM} ci bootstrap FILE [--environment NAME] [--subscription ID] [--yes] [--write-github]
                   [--endpoint URL] [--root DIR]

For a design with a delivery section: deploys, into the resource group of one of its environments (created
when missing), the bootstrap the generated pipelines need (generate writes it as delivery/bootstrap.bicep and
delivery/bootstrap.json): a user-assigned managed identity trusting the pipeline's tokens (federated identity
credentials: GitHub's environment, pull_request and main-branch subjects, or the Azure Pipelines service
connection), with Contributor on the resource group, Role Based Access Control Administrator limited to the
roles the design's template assigns, and, for an AKS cluster with Azure RBAC, Azure Kubernetes Service RBAC
Cluster Admin. Then prints the values to set: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_SUBSCRIPTION_ID (for
GitHub also suffixed with the environment, for the jobs without one). Run it as an owner of the resource group.
No secret is created.

Signs in as the Azure CLI does (az login), else through the environment, workload or managed identity.

Options:
  -e, --environment NAME  the environment (delivery.environments[].name); required when there are several
  -s, --subscription ID   deploy to this subscription instead of the environment's subscriptionId
  -y, --yes               deploy without asking
  --write-github          set the variables with the GitHub CLI (gh, signed in): on the GitHub environment,
                          and suffixed on the repository
  --endpoint URL          the Resource Manager endpoint (default: $GATEWRIGHT_ARM_ENDPOINT, else
                          https://management.azure.com)
  --root DIR              the workspace folder that certificate "file" paths are relative to
  -h, --help              show this help

Exit status: 0 deployed (and the variables set); 1 the design has an error finding, the deployment failed, Azure
refused a request, it was not confirmed, or gh failed; 2 usage error, unreadable file, no delivery section, or no
confirmation possible without --yes.
`,
  trace: `Usage: ${PROGRAM} trace FILE [--api NAME] [--format text|json] [--root DIR]

Generates FILE in memory (as generate would write it) and follows each API's request through the generated
files, not the design, so that what would stop a call shows up before deployment: the internet to
Application Gateway (listener certificate, WAF in Prevention mode), Application Gateway to API Management
(backend host, the probe /status-0123456789abcdef, the trusted root for re-encryption, private DNS, NSGs),
API Management (path, what a caller must present, backend URL), API Management to the ingress over mutual TLS
(DNS to the ingress's address, the client certificate and the CA the ingress verifies it with, verify depth,
the ingress's server certificate, NSGs), the ingress to the service (rule, protocol, pod certificate), and no
way around the chain (other subnets denied, data services private). Each check is pass, fail, or unknown until
deployed (with what it depends on, such as a DNS record filled at deployment), with the file:line:column and
value it read. Certificate files the design names are read to match trusted roots and CA bundles.

Options:
  --api NAME           trace only the API Management API named NAME
  -f, --format FORMAT  text (default) or json: { "version": 1, "verdict", "paths": [ { "api", "request",
                       "verdict", "hops": [ { "id", "title", "nodes", "edges", "verdict", "checks": [ { "id",
                       "title", "verdict", "message", "evidence": [ { "file", "line", "column", "value" } ],
                       "dependsOn"?, "fix"? } ] } ] } ], "notes" }
  --root DIR           the workspace folder that certificate "file" paths are relative to
  -h, --help           show this help

Exit status: 0 no hop fails (unknown-until-deployed is not a failure); 1 a hop fails, no API matches, or FILE
cannot be generated; 2 usage error, unreadable FILE, or FILE not in the design format.
`,
  deploy: `Usage: ${PROGRAM} deploy FILE --subscription ID --resource-group NAME [--location L] [--what-if] [--yes]
                [--out DIR] [--root DIR] [--endpoint URL] [--private DIR] [--client-ip A.B.C.D]
                [--no-import-certificates] [--format text|json] [--summary FILE] [--fail-on-changes]

Deploys the design FILE to an Azure resource group: validates it (an error finding stops it), generates it
(into --out, or a temporary folder), asks once for the parameters the design cannot know and keeps the
answers in FILE's parameters file (payments.gatewright.yaml -> payments.gatewright.parameters.json; values
only, never a secret), says which certificates go into Key Vault, runs what-if and prints what would be
created, modified and deleted (a resource group that does not exist is previewed as new, not created; a failed
what-if stops with exit 1), and checks that the globally unique names it would create are free (a taken one
stops with exit 1, naming the resource and how to change it). With --what-if it stops there.
Otherwise it says what the import will change in each vault and asks
"Deploy to subscription X, resource group Y? [y/N]" (unless --yes), creates the resource group if it is
missing, imports the certificates, deploys
infra/main.json with one line per resource and its state (Ctrl-C cancels the deployment in Azure), prints the
outputs, and applies each AKS cluster's manifests with kubectl apply -k through the AKS run command (no
network line of sight needed). Nothing is deployed without a confirmation: with no terminal to ask on and no
--yes, it refuses; before the confirmation only read-only calls are made.

Certificates: a template cannot create a Key Vault certificate. Application Gateway and API Management take
each one as a parameter <certId>SecretUri (and the AKS ingress manifests name theirs in the vault). Each one
whose parameter points at the design's vault is imported from its development PFX (written by
"${PROGRAM} certs dev FILE"); the parameter then gets the vault's real secret identifier. A parameter that
points elsewhere (set in FILE's parameters file) is used as it is. A certificate with neither is reported:
the vault must already hold it. Importing, for each vault:
  - a vault that does not exist yet is created first by a deployment of the vault alone (Incremental);
  - if its network settings keep this machine out, public network access is enabled for this machine's public
    address only (as Key Vault reports it when it refuses, or --client-ip), firewall denying everything else;
  - if the vault uses Azure RBAC and refuses the import for lack of a role, the signed-in account gets Key Vault
    Certificates Officer on the vault, retried while the assignment propagates;
  - a certificate whose current version is the same is not imported again;
  - then, always (also on failure or Ctrl-C), the network settings are put back and the role removed; if that
    fails, the error says what to restore by hand.

In a pipeline: --yes deploys without a question (without it and without a terminal nothing is deployed, exit 2);
--what-if --fail-on-changes checks for drift; --summary "$GITHUB_STEP_SUMMARY" shows the what-if on the run's page;
--format json gives a program one JSON document on stdout.

Signs in, in this order: workload identity federation when AZURE_CLIENT_ID, AZURE_TENANT_ID and
AZURE_FEDERATED_TOKEN_FILE are all set (an AKS pod, or a pipeline that writes its OIDC token to that file); the
Azure CLI's sign-in (az login; in GitHub Actions, azure/login with OIDC); then the Azure SDK's default chain: a
service principal (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH),
workload identity, managed identity (AZURE_CLIENT_ID picks a user-assigned one), developer tools. AZURE_TOKEN_CREDENTIALS
narrows the default chain; AZURE_AUTHORITY_HOST names the Microsoft Entra ID of another cloud.

Options:
  -s, --subscription ID      the subscription id
  -g, --resource-group NAME  the resource group (created, after the confirmation, when missing)
  -l, --location L           the region of a resource group it creates (default: the design's metadata.location)
  --what-if                  preview only: deploy nothing, import nothing, change nothing
  -y, --yes                  deploy (and change the vaults as said) without asking
  -o, --out DIR              write the generated files to DIR (as generate does) instead of a temporary folder
  --root DIR                 the workspace folder that certificate "file" paths are relative to
  --endpoint URL             the Resource Manager endpoint of a sovereign or private cloud (default:
                             $GATEWRIGHT_ARM_ENDPOINT, else https://management.azure.com)
  --private DIR              the folder of the development PFX files (default: certs/private next to FILE,
                             where certs dev writes them)
  --client-ip A.B.C.D        this machine's public address, for the vault's firewall (default: the address Key
                             Vault reports when it refuses this machine)
  --no-import-certificates   import no certificate: the vaults must already hold them
  -f, --format FORMAT        text (default), or json: stdout is one JSON document (version 1: mode, status,
                             exitCode, target, whatIf, deployment, manifests, errors; see the README), and what
                             text prints goes to stderr; property values and secure outputs are never in it
  --summary FILE             append the what-if as Markdown to FILE (created when missing): the design and target,
                             a table per design node (each resource's change; for a modify, the changed property
                             paths, never their values), totals. In GitHub Actions: --summary "$GITHUB_STEP_SUMMARY"
  --fail-on-changes          with --what-if: exit 1 when the what-if reports a create, modify or delete (drift),
                             0 when it reports none; prints which
  -h, --help                 show this help

Exit status: 0 deployed, or previewed (with --fail-on-changes: and no drift); 1 the design has an error finding,
the import, the deployment, what-if or a run command failed, Azure refused a request, the deployment was not
confirmed, or --fail-on-changes found drift; 2 usage error, unreadable file, a missing parameter with no terminal to
ask on, no confirmation possible without --yes, no access token (sign-in), or a subscription or resource group that
cannot be read.
`,
};
