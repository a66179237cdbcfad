/** Help texts of the command-line program. */
import { PROGRAM, VERSION } from './version.js';

export const COMMANDS = ['init', 'validate', 'generate', 'rules'] as const;
export type Command = (typeof COMMANDS)[number];

export const MAIN_USAGE = `${PROGRAM} ${VERSION}: design and validate a secure Azure API platform
(Application Gateway WAF -> API Management -> mutual TLS -> private AKS ingress).

Usage:
  ${PROGRAM} init FILE [--blank] [--name NAME] [--location REGION]
  ${PROGRAM} validate FILE [--format text|json|sarif] [--root DIR]
  ${PROGRAM} generate FILE --out DIR [--root DIR] [--force]
  ${PROGRAM} rules [--format text|json|markdown]
  ${PROGRAM} --help | --version

Commands:
  init       write the reference architecture (or a blank design) to FILE; never overwrites
  validate   check FILE and print its findings
  generate   write the Bicep, ARM JSON, Kubernetes manifests and API Management policies of FILE to DIR
  rules      list every validation rule

Exit status: 0 success (validate: no error finding); 1 validate found at least one error, or generate
wrote nothing because of one; 2 usage error, unreadable file, or a file init or generate would overwrite.

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
};
