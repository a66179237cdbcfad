/** The titles the panels show for the elements of the design. Pure: no React, no DOM. */
import { Element } from './form-elements.js';

/** What the Inspector calls an element: `apim (apiManagement)`, `mtls edge apim → aks`, `server certificate apim-tls`. */
export function describeElement(element: Element): string {
  switch (element.kind) {
    case 'node':
      return `${element.node.label ?? element.node.id} (${element.node.type})`;
    case 'edge':
      return `${element.edge.type} edge ${element.edge.from} → ${element.edge.to}`;
    case 'certificate':
      return `${element.certificate.role} certificate ${element.certificate.id}`;
  }
}
