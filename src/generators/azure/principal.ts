/** Who can be granted an Azure role, and a role by name and definition id: shared by the role assignments and the data-plane roles. */
import type { Expr } from '../ir/expr.js';

export interface Role {
  readonly name: string;
  readonly guid: string;
}

/** One identity that can be granted a role: where its principal id is read, and a literal key for assignment names. */
export interface Principal {
  /** Literal, unique in the design: a node id for a node's system-assigned or managedIdentity identity, "<node id>/<what>" otherwise. */
  readonly key: string;
  readonly principalId: Expr;
  /** "API Management "apim" (system-assigned identity)". */
  readonly label: string;
}
