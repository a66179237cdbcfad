/**
 * Whether each API Management service of a design exists already in the target resource group, and the template's
 * `<apim>Exists` parameters set from it. The generated template declares API Management once, with its custom
 * domain, when the service exists (its system-assigned identity was granted Key Vault on the first deployment), and
 * adds the domain in a second step (a nested deployment) only on the first deployment
 * (src/generators/azure/apim/service.ts). The parameter defaults to false, which is right for a new service only:
 * deploy sets it from a GET of the service by its id, so a redeployment never serves the gateway without its
 * certificate.
 *
 * The GET is Resource Manager's generic read of a resource by id
 * (https://learn.microsoft.com/rest/api/resources/resources/get-by-id): 200 says the service exists, 404 (the service
 * or its resource group is not there: ResourceNotFound, ResourceGroupNotFound) says it does not; anything else is an
 * error, reported with what was being checked, and nothing is deployed on a guess. A service that is there counts as
 * existing only when its provisioningState is Succeeded (or when the answer carries none: the 200 is all there is)
 * (https://learn.microsoft.com/rest/api/apimanagement/api-management-service/get: Created, Activating, Succeeded,
 * Updating, Failed, Stopped, Terminating, TerminationFailed, Deleted): one a first deployment left Failed (it broke
 * before the service's identity could read Key Vault) has no grant to rely on, so it takes the first deployment's
 * path again (false), and the line deploy prints says why.
 */
import { apimExistsDescription, APIM_API, APIM_SERVICE_TYPE } from '../generators/azure/apim/service.js';
import { resolvedName, resourceName } from '../model/naming.js';
import type { Design } from '../schemas/design.js';
import { resourcesClient } from './connection.js';
import { toDeployError } from './errors.js';
import { templateParameters } from './parameters.js';
import type { DeploymentInput, DeploymentTarget } from './target.js';
import { resourceGroupIdOf } from './unique-names.js';

/** One API Management service whose existence a template parameter asks for. */
export interface ApimService {
  readonly nodeId: string;
  /** The template parameter (`<id>Exists`, as the template names it). */
  readonly parameter: string;
  /** The service's name in the resource group (a derived name ends with uniqueString(resourceGroup().id)). */
  readonly name: string;
  /** Its resource id in the target resource group. */
  readonly resourceId: string;
}

export interface ApimExistence extends ApimService {
  readonly exists: boolean;
  /** The service's provisioningState when the GET found it in another state than Succeeded (exists is then false). */
  readonly provisioningState?: string;
}

/**
 * The API Management services whose `<id>Exists` parameter the template declares, each with its computed name in the
 * resource group. The parameter is found by its description (apimExistsDescription), as the template may number its
 * name when another owner holds `<id>Exists`.
 */
export function apimServices(design: Design, template: unknown, target: Pick<DeploymentTarget, 'subscriptionId' | 'resourceGroup'>): ApimService[] {
  const parameters = templateParameters(template).filter((p) => p.type.toLowerCase() === 'bool' && p.description !== undefined);
  const groupId = resourceGroupIdOf(target);
  const out: ApimService[] = [];
  for (const node of design.nodes) {
    if (node.type !== 'apiManagement') continue;
    const wanted = apimExistsDescription(node.id);
    const parameter = parameters.find((p) => p.description!.startsWith(wanted));
    if (!parameter || out.some((s) => s.parameter === parameter.name)) continue;
    const name = resolvedName(resourceName(design.metadata.name, node), groupId);
    out.push({ nodeId: node.id, parameter: parameter.name, name, resourceId: `${groupId}/providers/${APIM_SERVICE_TYPE}/${name}` });
  }
  return out;
}

/**
 * Whether each service exists: a GET by id, 200 with provisioningState Succeeded yes, 200 in another state or 404 no;
 * any other answer throws a DeployError naming the service.
 */
export async function checkApimServices(target: DeploymentTarget, services: readonly ApimService[], options: { signal?: AbortSignal } = {}): Promise<ApimExistence[]> {
  if (services.length === 0) return [];
  const client = resourcesClient(target, target.subscriptionId);
  const out: ApimExistence[] = [];
  for (const service of services) {
    let found: { properties?: unknown };
    try {
      // The SDK puts a slash before the id itself: the id goes without its own.
      found = await client.resources.getById(service.resourceId.replace(/^\/+/, ''), APIM_API, options.signal ? { abortSignal: options.signal } : {});
    } catch (e) {
      if (statusOf(e) !== 404) {
        throw toDeployError(e, `Checking whether API Management ${service.name} [${service.nodeId}] exists in resource group ${target.resourceGroup} (to set template parameter ${service.parameter})`);
      }
      out.push({ ...service, exists: false });
      continue;
    }
    const state = provisioningStateOf(found);
    // Resource Manager spells the state Succeeded; compared without case, as some providers write it in lower case.
    if (state !== undefined && state.toLowerCase() !== 'succeeded') out.push({ ...service, exists: false, provisioningState: state });
    else out.push({ ...service, exists: true });
  }
  return out;
}

/** The deployment with each `<id>Exists` parameter set to what the check found (the saved or generated value replaced). */
export function withApimExistence(input: DeploymentInput, existence: readonly ApimExistence[]): DeploymentInput {
  if (existence.length === 0) return input;
  const parameters = { ...input.parameters };
  for (const e of existence) parameters[e.parameter] = { value: e.exists };
  return { ...input, parameters };
}

/**
 * Checks every API Management service of the design in the target resource group and sets the template's parameters:
 * the deployment to send, and what was found (for the caller to say).
 */
export async function setApimExistence(
  target: DeploymentTarget,
  design: Design,
  input: DeploymentInput,
  options: { signal?: AbortSignal; groupExists?: boolean } = {},
): Promise<{ input: DeploymentInput; existence: ApimExistence[] }> {
  const services = apimServices(design, input.template, target);
  // A resource group that does not exist holds no service: nothing to ask.
  const existence = options.groupExists === false ? services.map((s) => ({ ...s, exists: false })) : await checkApimServices(target, services, options);
  return { input: withApimExistence(input, existence), existence };
}

/** One line per service: what was found and what the deployment therefore does with its custom domain. */
export function describeApimExistence(existence: readonly ApimExistence[]): string[] {
  return existence.map((e) =>
    e.exists
      ? `API Management ${e.name} [${e.nodeId}] exists: ${e.parameter} = true, the service is declared once with its custom domain.`
      : e.provisioningState !== undefined
        ? `API Management ${e.name} [${e.nodeId}] exists but its provisioning state is ${e.provisioningState}, not Succeeded: ${e.parameter} = false, deployed as the first time, its custom domain added once its identity can read Key Vault.`
        : `API Management ${e.name} [${e.nodeId}] does not exist yet: ${e.parameter} = false, its custom domain is added once its identity can read Key Vault.`,
  );
}

/** properties.provisioningState of a resource as read, when it is a string. */
function provisioningStateOf(resource: { properties?: unknown }): string | undefined {
  const properties = resource.properties;
  if (typeof properties !== 'object' || properties === null) return undefined;
  const state = (properties as { provisioningState?: unknown }).provisioningState;
  return typeof state === 'string' ? state : undefined;
}

function statusOf(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { statusCode?: unknown }).statusCode === 'number' ? (e as { statusCode: number }).statusCode : undefined;
}
