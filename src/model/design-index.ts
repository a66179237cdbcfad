/**
 * Indexes over a design, built once so every rule and every generator looks things up in constant time.
 * Pure: the certificate files a design names are read by the caller and handed in.
 */
import {
  edgeId,
  type Certificate,
  type Design,
  type DesignEdge,
  type DesignNode,
  type EdgeOf,
  type EdgeType,
  type NodeOf,
  type NodeType,
} from '../schemas/design.js';
import type { Path } from '../schemas/operations.js';

/** A certificate file named by a design, as the caller read it. */
export type CertificateFile =
  | { readonly status: 'read'; readonly content: string }
  | { readonly status: 'unreadable'; readonly reason: string };

export interface DesignIndexOptions {
  /** Certificate files by the workspace-relative path the design gives (certificate `file`). */
  readonly files?: ReadonlyMap<string, CertificateFile>;
  /** The moment expiry is judged against; now by default. */
  readonly now?: Date;
  /** Ids of entries that exist in the text but failed the schema: references to them are not dangling. */
  readonly invalidIds?: { readonly nodes: ReadonlySet<string>; readonly certificates: ReadonlySet<string> };
}

export interface EdgeEntry<T extends DesignEdge = DesignEdge> {
  readonly edge: T;
  readonly id: string;
  readonly index: number;
  readonly from: DesignNode | undefined;
  readonly to: DesignNode | undefined;
}

const EMPTY: readonly never[] = [];

export class DesignIndex {
  readonly design: Design;
  readonly now: Date;
  readonly files: ReadonlyMap<string, CertificateFile>;
  readonly invalidNodeIds: ReadonlySet<string>;
  readonly invalidCertificateIds: ReadonlySet<string>;

  /** First node with each id. */
  readonly nodes = new Map<string, DesignNode>();
  /** First certificate with each id. */
  readonly certificates = new Map<string, Certificate>();
  readonly edges: EdgeEntry[] = [];

  private readonly nodeIndex = new Map<string, number>();
  private readonly certIndex = new Map<string, number>();
  private readonly byType = new Map<NodeType, DesignNode[]>();
  private readonly edgesByType = new Map<EdgeType, EdgeEntry[]>();
  private readonly out = new Map<string, EdgeEntry[]>();
  private readonly in = new Map<string, EdgeEntry[]>();

  constructor(design: Design, options: DesignIndexOptions = {}) {
    this.design = design;
    this.now = options.now ?? new Date();
    this.files = options.files ?? new Map();
    this.invalidNodeIds = options.invalidIds?.nodes ?? new Set();
    this.invalidCertificateIds = options.invalidIds?.certificates ?? new Set();

    design.nodes.forEach((node, i) => {
      if (!this.nodes.has(node.id)) {
        this.nodes.set(node.id, node);
        this.nodeIndex.set(node.id, i);
      }
      push(this.byType, node.type, node);
    });
    design.certificates.forEach((cert, i) => {
      if (!this.certificates.has(cert.id)) {
        this.certificates.set(cert.id, cert);
        this.certIndex.set(cert.id, i);
      }
    });
    design.edges.forEach((edge, index) => {
      const entry: EdgeEntry = {
        edge,
        id: edgeId(edge),
        index,
        from: this.nodes.get(edge.from),
        to: this.nodes.get(edge.to),
      };
      this.edges.push(entry);
      push(this.edgesByType, edge.type, entry);
      push(this.out, edge.from, entry);
      push(this.in, edge.to, entry);
    });
  }

  nodesOfType<T extends NodeType>(type: T): readonly NodeOf<T>[] {
    return (this.byType.get(type) ?? EMPTY) as readonly NodeOf<T>[];
  }

  edgesOfType<T extends EdgeType>(type: T): readonly EdgeEntry<EdgeOf<T>>[] {
    return (this.edgesByType.get(type) ?? EMPTY) as readonly EdgeEntry<EdgeOf<T>>[];
  }

  /** Edges leaving a node, optionally of one type. */
  outgoing<T extends EdgeType>(nodeId: string, type?: T): readonly EdgeEntry<EdgeOf<T>>[] {
    const all = this.out.get(nodeId) ?? EMPTY;
    return (type ? all.filter((e) => e.edge.type === type) : all) as readonly EdgeEntry<EdgeOf<T>>[];
  }

  /** Edges reaching a node, optionally of one type. */
  incoming<T extends EdgeType>(nodeId: string, type?: T): readonly EdgeEntry<EdgeOf<T>>[] {
    const all = this.in.get(nodeId) ?? EMPTY;
    return (type ? all.filter((e) => e.edge.type === type) : all) as readonly EdgeEntry<EdgeOf<T>>[];
  }

  /** Whether an edge of this type joins the two nodes. */
  hasEdge(from: string, to: string, type: EdgeType): boolean {
    return (this.out.get(from) ?? EMPTY).some((e) => e.edge.to === to && e.edge.type === type);
  }

  // ------------------------------------------------------------ paths

  nodePath(id: string, ...rest: Path): Path {
    const i = this.nodeIndex.get(id);
    return i === undefined ? ['nodes'] : ['nodes', i, ...rest];
  }

  edgePath(entry: { index: number }, ...rest: Path): Path {
    return ['edges', entry.index, ...rest];
  }

  certPath(id: string, ...rest: Path): Path {
    const i = this.certIndex.get(id);
    return i === undefined ? ['certificates'] : ['certificates', i, ...rest];
  }

  /** A display name for a node in messages: `apim (apiManagement)`. */
  describe(node: DesignNode | undefined): string {
    return node ? `"${node.id}" (${node.type})` : 'an unknown node';
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
