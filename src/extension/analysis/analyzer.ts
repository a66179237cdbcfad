/**
 * Analysis off the extension host's thread. Each request names its document (`key`) and the document version it
 * analyses; a newer version supersedes an older one: a request that has not started yet is cancelled, and the
 * result of one that was running is dropped (resolves `undefined`), so the findings of an older text are never
 * published after a newer one's. Texts of at least `workerFromBytes` characters are analysed in a worker thread
 * (worker.ts, https://nodejs.org/api/worker_threads.html); smaller ones on the calling thread, where they take less
 * than a frame and answer sooner than a round trip to the worker would (`npm run bench` prints both). A failure in
 * the worker rejects the request with the worker's error; a worker that died is started again for the next request.
 * No vscode import: unit-tested with the bundled worker.
 */
import { Worker } from 'node:worker_threads';
import { parseDesign, type LocateOptions, type ParsedDesign } from '../../document/parse.js';
import type { Design } from '../../schemas/design.js';
import type { Path } from '../../schemas/operations.js';
import type { CertificateFile } from '../../model/design-index.js';
import { errorMessage } from '../../model/error-message.js';
import { analyze, type Analysis } from '../../validation/analyze.js';
import { elementAt, type ElementTarget } from '../designer/element-at.js';
import { AnalysisReplySchema, type AnalysisAnswer, type AnalysisRequest, type ElementRequest } from './protocol.js';
import type { z } from 'zod';
import type { DrawnAnalysisSchema } from './protocol.js';

export interface AnalysisInput {
  /** The document (its URI): versions are compared within one key only. */
  readonly key: string;
  readonly version: number;
  readonly text: string;
  readonly files?: ReadonlyMap<string, CertificateFile>;
  readonly now?: Date;
}

export interface AnalyzerOptions {
  /** The bundled worker (dist/analysis-worker.js); undefined: every analysis runs on the calling thread. */
  readonly workerFile: string | undefined;
  /** Texts at least this long (in UTF-16 code units) go to the worker. */
  readonly workerFromBytes: number;
}

/**
 * Where a text is analysed by default: below this the calling thread, at or above it the worker. Measured on an
 * idle moment of a 2-core machine (full analysis, warm): the reference design (about 6 KB) in about 10 ms, a
 * 50-node design (20 KB) in about 22 ms, a 100-node design (43 KB) in about 65 ms, where the worker's round trip
 * adds only a few ms of host work. `npm run bench` prints the host-thread and worker figures (bench/round-trip.ts).
 */
export const WORKER_FROM_BYTES = 24 * 1024;

/** A request waiting for the worker, or running in it. */
type Queued =
  | { readonly kind: 'analysis'; readonly input: AnalysisInput; readonly resolve: (analysis: Analysis | undefined) => void; readonly reject: (error: Error) => void }
  | { readonly kind: 'element'; readonly text: string; readonly offset: number; readonly resolve: (target: ElementTarget | undefined) => void; readonly reject: (error: Error) => void };

/** Analyses whose designer state (design, findings) the worker already checked against the message schema. */
const checkedInWorker = new WeakSet<Analysis>();

/** True when the worker checked this analysis' design and findings against the state message schema. */
export function stateCheckedInWorker(analysis: Analysis): boolean {
  return checkedInWorker.has(analysis);
}

export class Analyzer {
  private worker: Worker | undefined;
  private readonly queue: Queued[] = [];
  private running: (Queued & { readonly id: number }) | undefined;
  private nextId = 0;
  /** The newest version asked for, by key. */
  private readonly newest = new Map<string, number>();
  /** Worker analyses without certificate files, by key and version: asking again for one shares its answer. */
  private readonly shared = new Map<string, Promise<Analysis | undefined>>();
  private disposed = false;

  constructor(private readonly options: AnalyzerOptions) {}

  /**
   * The analysis of a text, or undefined when a newer version of the same document was asked for before this
   * one's result could be published. Rejects with the worker's error when the analysis failed.
   */
  analyze(input: AnalysisInput): Promise<Analysis | undefined> {
    if (this.disposed) return Promise.reject(new Error('the analyzer was disposed'));
    const newest = this.newest.get(input.key);
    if (newest !== undefined && input.version < newest) return Promise.resolve(undefined);
    this.newest.set(input.key, input.version);
    // Requests of older versions that have not started are cancelled.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i]!;
      if (q.kind === 'analysis' && q.input.key === input.key && q.input.version < input.version) {
        this.queue.splice(i, 1);
        q.resolve(undefined);
      }
    }
    if (!this.options.workerFile || input.text.length < this.options.workerFromBytes) {
      try {
        return Promise.resolve(analyze(input.text, { ...(input.files ? { files: input.files } : {}), ...(input.now ? { now: input.now } : {}) }));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(errorMessage(e)));
      }
    }
    const shareKey = input.files ? undefined : `${input.key}\u0000${input.version}`;
    const same = shareKey === undefined ? undefined : this.shared.get(shareKey);
    if (same) return same;
    const promise = new Promise<Analysis | undefined>((resolve, reject) => {
      this.queue.push({ kind: 'analysis', input, resolve, reject });
      this.pump();
    });
    if (shareKey !== undefined) {
      this.shared.set(shareKey, promise);
      const done = () => {
        if (this.shared.get(shareKey) === promise) this.shared.delete(shareKey);
      };
      promise.then(done, done);
    }
    return promise;
  }

  /**
   * The element of the design at an offset of the analysed text (a node, an edge, a certificate entry, or a
   * node's layout line). From the YAML this thread already read, else from the worker's parse of the text, so that
   * following the text cursor never parses a large design here.
   */
  elementAt(analysis: Analysis, offset: number): Promise<ElementTarget | undefined> {
    const parsed = analysis.parsed;
    if (!(parsed instanceof LazyParsed) || parsed.isRead || !this.options.workerFile || this.disposed) {
      return Promise.resolve(elementAt(parsed.yaml, parsed.text, offset));
    }
    return new Promise<ElementTarget | undefined>((resolve, reject) => {
      this.queue.push({ kind: 'element', text: parsed.text, offset, resolve, reject });
      this.pump();
    });
  }

  /** Forgets a document (closed): its versions start again. */
  forget(key: string): void {
    this.newest.delete(key);
  }

  /** Stops the worker; pending analyses fail. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const error = new Error('the analyzer was disposed');
    for (const q of this.queue.splice(0)) q.reject(error);
    this.running?.reject(error);
    this.running = undefined;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.queue.shift();
    if (!next) {
      this.worker?.unref();
      return;
    }
    const id = ++this.nextId;
    this.running = { ...next, id };
    let request: AnalysisRequest | ElementRequest;
    if (next.kind === 'element') request = { id, text: next.text, offset: next.offset };
    else {
      const { text, files, now } = next.input;
      request = { id, text, ...(files ? { files: [...files] } : {}), ...(now ? { now: now.getTime() } : {}) };
    }
    try {
      const worker = this.ensureWorker();
      // Kept alive while it works for us; an idle worker does not keep the process alive.
      worker.ref();
      worker.postMessage(request);
    } catch (e) {
      this.fail(new Error(`could not start the analysis worker: ${errorMessage(e)}`));
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.workerFile!);
    worker.on('message', (raw: unknown) => this.received(worker, raw));
    worker.on('error', (e) => {
      if (this.worker === worker) this.worker = undefined;
      this.fail(new Error(`the analysis worker failed: ${e instanceof Error && e.stack ? e.stack : errorMessage(e)}`));
    });
    worker.on('messageerror', (e) => this.fail(new Error(`the analysis worker's answer could not be read: ${errorMessage(e)}`)));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (!this.disposed) this.fail(new Error(`the analysis worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  /** Fails the running request (if any) and goes on with the next. */
  private fail(error: Error): void {
    const running = this.running;
    this.running = undefined;
    running?.reject(error);
    this.pump();
  }

  private received(worker: Worker, raw: unknown): void {
    if (worker !== this.worker) return;
    const checked = AnalysisReplySchema.safeParse(raw);
    const running = this.running;
    if (!checked.success || !running || checked.data.id !== running.id) {
      this.fail(new Error(checked.success ? `the analysis worker answered request ${checked.data.id}, not the running one` : 'the analysis worker sent an invalid answer'));
      return;
    }
    this.running = undefined;
    const reply = checked.data;
    try {
      if (!reply.ok) running.reject(new Error(`${running.kind === 'element' ? 'finding the element at the cursor' : 'analysis'} failed in the worker: ${reply.error}`));
      else if (running.kind === 'element') {
        if (!('element' in reply)) throw new Error('an analysis came back where an element was asked for');
        running.resolve(reply.element ?? undefined);
      } else if (!('design' in reply)) throw new Error('an element came back where an analysis was asked for');
      else if (running.input.version < (this.newest.get(running.input.key) ?? running.input.version)) running.resolve(undefined);
      else running.resolve(fromWorker(running.input.text, reply));
    } catch (e) {
      running.reject(new Error(`the analysis worker's answer could not be read: ${errorMessage(e)}`));
    }
    this.pump();
  }
}

type Drawn = z.infer<typeof DrawnAnalysisSchema>;

/**
 * An Analysis from the worker's answer. The findings are read at once; the design (most of the answer at 1,000
 * nodes) when something reads it, and the YAML with positions is parsed on this thread only when asked for.
 */
function fromWorker(text: string, reply: AnalysisAnswer): Analysis {
  const drawn = JSON.parse(reply.findings) as Omit<Drawn, 'design'>;
  const { complete } = reply.summary;
  let design: Design | null | undefined;
  const designOf = (): Design | undefined => {
    if (design === undefined) design = JSON.parse(new TextDecoder().decode(reply.design)) as Design | null;
    return design ?? undefined;
  };
  const parsed = new LazyParsed(text, designOf, complete);
  const analysis: Analysis = {
    parsed,
    get design() {
      return complete ? designOf() : undefined;
    },
    findings: drawn.findings,
    summary: reply.summary.summary,
    ...(drawn.certificateExpiry ? { certificateExpiry: drawn.certificateExpiry } : {}),
  };
  checkedInWorker.add(analysis);
  return analysis;
}

/**
 * The parse of a text analysed in the worker: the text, the design and whether it is complete are known; the YAML
 * document with positions (for locating, quick fixes, the selection) is read on first use.
 */
class LazyParsed implements ParsedDesign {
  private full: ParsedDesign | undefined;

  constructor(
    readonly text: string,
    private readonly designOf: () => Design | undefined,
    readonly complete: boolean,
  ) {}

  get design(): Design | undefined {
    return this.designOf();
  }

  private get read(): ParsedDesign {
    return (this.full ??= parseDesign(this.text));
  }

  /** Whether the YAML was read on this thread already. */
  get isRead(): boolean {
    return this.full !== undefined;
  }

  get findings(): ParsedDesign['findings'] {
    return this.read.findings;
  }

  get invalidIds(): ParsedDesign['invalidIds'] {
    return this.read.invalidIds;
  }

  get yaml(): ParsedDesign['yaml'] {
    return this.read.yaml;
  }

  locate(path: Path, options?: LocateOptions): ReturnType<ParsedDesign['locate']> {
    return this.read.locate(path, options);
  }

  textPath(path: Path): Path {
    return this.read.textPath(path);
  }
}
