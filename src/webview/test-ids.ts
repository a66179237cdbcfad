/**
 * The stable hooks of the designer canvas for tests (data-testid unless said otherwise), in one module that the
 * components and the browser and end-to-end tests both import, so that a renamed hook breaks the build, not a test
 * run. Panels keep their own ids beside their markup (inspector-*, certificate-*, finding-*, deployment-banner-*).
 *
 *   toolbar                        the toolbar (role toolbar "Canvas"); its buttons toolbar-<action> (aria-labels:
 *                                  "Fit the diagram in view", "Zoom in", "Zoom out", "Lay out every node
 *                                  automatically", "Export the diagram as SVG or PNG", "Open the YAML text beside the
 *                                  canvas", "Validate the design", "Generate Bicep, ingress manifests and policies",
 *                                  ...; dev-certificates, rehearse, what-if, deploy and history post the commands
 *                                  createDevCertificates, rehearse, whatIf, deploy, deploymentHistory). One row at
 *                                  every width: the buttons that do not fit are not drawn, and their actions are
 *                                  items of the overflow menu, which carry the same ids while it is open;
 *                                  data-measured="true" once the toolbar has measured what fits
 *   toolbar-more                   "…": opens the overflow menu (aria-haspopup menu, aria-expanded); shown only when
 *                                  some action does not fit
 *   toolbar-menu                   the overflow menu (role menu); its items toolbar-<action> (role menuitem, the
 *                                  control-plane toggle menuitemcheckbox)
 *   findings-summary               "N errors, M warnings" button (opens the Findings tab)
 *   problem-banner                 role alert: the YAML does not parse (message and line); the canvas is read-only
 *   refusal-banner                 role alert: the host refused an edit (its reason); the canvas took it back;
 *                                  refusal-dismiss closes it. Nodes and edges of an edit the host has not answered
 *                                  yet carry class gwc-pending and data-pending="true"
 *   palette                        the palette (nav "Components"); palette-search: its search field
 *   palette-item-<nodeType>        a palette entry (role button, aria-label "Add <Title>"): drag it onto the
 *                                  canvas, or focus it and press Enter
 *   canvas                         the canvas area (drop target); canvas-empty: hint shown with no nodes;
 *                                  canvas-loading: shown until the first state arrives
 *   rf__node-<id>                  React Flow's node element, the node's box (aria-label "API Management apim:
 *                                  2 errors"; focusable with Tab; classes .selected, gwc-node--error / --warning)
 *   node-<id>                      the node's texts (data-node-type; title = full text); node-<id>-errors and
 *                                  node-<id>-warnings: the finding badges
 *   rf__edge-<id>                  React Flow's edge group (aria-label "mTLS edge apim-aks from apim to aks");
 *                                  class gwc-edge--error / gwc-edge--warning on its path when it has findings
 *   edge-label-<id>                label of an https / mtls / privateLink edge (lock, certificate, CA, zone)
 *   node-<id>-deployment           a node's deployment marker (data-kind: create | modify | delete | deploy |
 *                                  noChange | ignore | unsupported | waiting | running | succeeded | failed |
 *                                  canceled; text "+ create", "↻ running 2/5"; title: the details and the error)
 *   node-<id>-expiry, edge-<id>-expiry   certificate expiry badge (data-status warning | error; title per certificate)
 *   edge-<id>-rehearsal            rehearsal badge of an https / mtls edge ("✓ 4/4", "✗ 1 of 4 failed"; data-status
 *                                  pass | fail; its SVG title lists the cases)
 *   deployment-banner              the deployment over the canvas (ids: overlays/DeploymentBanner.tsx)
 *   connect-menu                   edge type menu (role menu) when several types fit; connect-option-<type>
 *   cert-picker                    client certificate choice for a new mTLS edge (role dialog);
 *                                  cert-option-<certId>, cert-new-id (text field), cert-create; connect-cancel
 *   canvas-status                  role status: last action or why a connection was refused
 *   side-panel                     the side area; tab-<tab> (role tab) and panel-<tab> (role tabpanel) for the tabs
 *                                  inspector, certificates and findings
 *   rf__minimap                    the minimap
 *   toolbar-connect                "Connect…": connect the selected node with the keyboard (also the C key)
 *   target-menu                    the nodes it can connect to (role dialog); target-filter, target-option-<id>
 *   toolbar-control-plane          toggles the monitoring and security edges (aria-pressed)
 *   minimap-toggle                 shows or hides the minimap (aria-pressed)
 *   side-toggle                    in a narrow editor: opens or closes the side panel (aria-pressed)
 *   container-<id>                 title band of a container: the virtual network (its design node id, or
 *                                  vnet:default) and its subnets (subnet:<plan key>), text "<name> <prefix>";
 *                                  a further box of a container drawn in parts: container-<container id>#<n>
 *                                  (n from 2; the network's: container-vnet:<network id>#<n>)
 *   container-parts                the layer that draws those further boxes (containers/PartsLayer.tsx; each
 *                                  box a .gwc-part with data-id <container id>#<n>), under the edges and nodes
 *   endpoint-pe:<id>               a private endpoint (in the endpoint subnet) of Private Link target <id>
 */
export const TEST_IDS = {
  toolbar: 'toolbar',
  toolbarMore: 'toolbar-more',
  toolbarMenu: 'toolbar-menu',
  findingsSummary: 'findings-summary',
  problemBanner: 'problem-banner',
  refusalBanner: 'refusal-banner',
  refusalDismiss: 'refusal-dismiss',
  palette: 'palette',
  paletteSearch: 'palette-search',
  canvas: 'canvas',
  canvasEmpty: 'canvas-empty',
  canvasLoading: 'canvas-loading',
  canvasStatus: 'canvas-status',
  deploymentBanner: 'deployment-banner',
  connectMenu: 'connect-menu',
  connectCancel: 'connect-cancel',
  certPicker: 'cert-picker',
  certNewId: 'cert-new-id',
  certCreate: 'cert-create',
  sidePanel: 'side-panel',
  targetMenu: 'target-menu',
  targetFilter: 'target-filter',
  miniMapToggle: 'minimap-toggle',
  containerParts: 'container-parts',
  sideToggle: 'side-toggle',
} as const;

/** The ids that name one element of the design or one choice. */
export const testIdOf = {
  toolbarButton: (action: string) => `toolbar-${action}`,
  paletteItem: (nodeType: string) => `palette-item-${nodeType}`,
  flowNode: (id: string) => `rf__node-${id}`,
  flowEdge: (id: string) => `rf__edge-${id}`,
  node: (id: string) => `node-${id}`,
  nodeErrors: (id: string) => `node-${id}-errors`,
  nodeWarnings: (id: string) => `node-${id}-warnings`,
  nodeDeployment: (id: string) => `node-${id}-deployment`,
  nodeExpiry: (id: string) => `node-${id}-expiry`,
  edgeLabel: (id: string) => `edge-label-${id}`,
  edgeExpiry: (id: string) => `edge-${id}-expiry`,
  edgeRehearsal: (id: string) => `edge-${id}-rehearsal`,
  connectOption: (type: string) => `connect-option-${type}`,
  certOption: (certificateId: string) => `cert-option-${certificateId}`,
  targetOption: (nodeId: string) => `target-option-${nodeId}`,
  tab: (tab: string) => `tab-${tab}`,
  panel: (tab: string) => `panel-${tab}`,
} as const;
