/**
 * `node --import tsx bench/canvas/profile.ts [-- --size 1000 --subject ours --phase render|drag]`: a CPU profile
 * (Chrome DevTools Protocol Profiler) of the canvas benchmark's first render or drag, with the webview bundled in
 * production mode but not minified, summed by function (self time, top 40) so that the costs can be read.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, newContext, settle } from '../../test/helpers/chromium.js';
import { ORIGIN, serveFiles } from '../../test/helpers/webview-page.js';
import { benchInputs, dragFrame } from './run.js';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const { values } = parseArgs({
  options: { size: { type: 'string', default: '1000' }, subject: { type: 'string', default: 'ours' }, phase: { type: 'string', default: 'render' }, out: { type: 'string' }, trace: { type: 'boolean', default: false }, timeline: { type: 'boolean', default: false } },
  strict: true,
});
const size = Number(values.size);
const subject = values.subject as 'ours' | 'bare';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/**
 * In the page, before the data is handed over: counts the DOM mutations of each animation frame (attribute changes
 * by attribute, elements added and removed) and the nodes drawn and hidden, into window.timeline, one line a frame.
 */
function installTimeline(): void {
  const w = window as unknown as { timeline: string[] };
  w.timeline = [];
  let counts = new Map<string, number>();
  const samples: string[] = [];
  (window as unknown as { samples: string[] }).samples = samples;
  const bump = (k: string, n = 1) => counts.set(k, (counts.get(k) ?? 0) + n);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && samples.length < 40 && (r.attributeName === 'height')) samples.push(`${r.attributeName} ${(r.target as Element).getAttribute('class')} ${r.oldValue?.slice(0, 60)} -> ${(r.target as Element).getAttribute(r.attributeName!)?.slice(0, 60)}`);
      if (r.type === 'attributes') bump(`@${r.attributeName}(${(r.target as Element).tagName.toLowerCase()}.${((r.target as Element).getAttribute('class') ?? '').split(' ')[0]})`);
      else if (r.type === 'childList') {
        bump('+', r.addedNodes.length);
        bump('-', r.removedNodes.length);
      } else bump('text');
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true });
  const start = performance.now();
  let frames = 0;
  const frame = () => {
    const nodes = document.querySelectorAll<HTMLElement>('.react-flow__node');
    let hidden = 0;
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.style.visibility === "hidden") hidden++;
    const what = [...counts].filter(([, n]) => n > 0).map(([k, n]) => `${k}:${n}`).join(' ');
    if (what) w.timeline.push(`${(performance.now() - start).toFixed(0).padStart(6)} ms  nodes ${nodes.length}/${hidden} hidden, edges ${document.querySelectorAll('.react-flow__edge').length}  ${what}`);
    counts = new Map();
    if (++frames < 600) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

void (async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-profile-'));
  const browser = await launchChromium();
  try {
    const options = {
      bundle: true,
      platform: 'browser' as const,
      target: ['chrome120'],
      format: 'iife' as const,
      jsx: 'automatic' as const,
      minify: false,
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.svg': 'text' as const },
      logLevel: 'warning' as const,
    };
    if (subject === 'ours') await build({ ...options, entryPoints: { webview: join(ROOT, 'src', 'webview', 'main.tsx') }, outdir: dir });
    else {
      await build({ ...options, entryPoints: { bare: join(ROOT, 'bench', 'canvas', 'bare.tsx') }, outdir: dir });
      writeFileSync(join(dir, 'index.html'), `<!DOCTYPE html><html><head><link rel="stylesheet" href="bare.css"><style>html,body,#root{margin:0;width:100%;height:100%}</style></head><body><div id="root"></div><script src="bare.js"></script></body></html>`);
    }
    const context = await newContext(browser, { viewport: { width: 1600, height: 1000 } });
    await serveFiles(
      context,
      subject === 'ours'
        ? { '/': join(ROOT, 'test', 'browser', 'fixture.html'), '/webview.js': join(dir, 'webview.js'), '/webview.css': join(dir, 'webview.css') }
        : { '/': join(dir, 'index.html'), '/bare.js': join(dir, 'bare.js'), '/bare.css': join(dir, 'bare.css') },
    );
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    if (subject === 'ours') await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'));
    else await page.waitForFunction(() => 'bareFlow' in window);
    const inputs = benchInputs(size);
    const data = subject === 'ours' ? inputs.state : inputs.bare;
    await page.evaluate((d) => ((window as unknown as { benchData: unknown }).benchData = d), data as unknown);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    const deliver = () =>
      page.evaluate((subject) => {
        const w = window as unknown as { benchData: unknown; bareFlow: { render(d: unknown): void } };
        if (subject === 'ours') window.dispatchEvent(new MessageEvent('message', { data: w.benchData }));
        else w.bareFlow.render(w.benchData);
      }, subject);
    const tracing = values.trace;
    if (tracing) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
    if (values.timeline) await page.evaluate(installTimeline);
    if (values.phase === 'render') {
      await cdp.send('Profiler.start');
      await deliver();
      await page.waitForSelector('.react-flow__node', { timeout: 120_000 });
      await settle(page);
    } else {
      await deliver();
      await page.waitForSelector('.react-flow__node', { timeout: 120_000 });
      await settle(page);
      await settle(page);
      await cdp.send('Profiler.start');
      console.log(`median drag frame ${(await dragFrame(page, 30)).toFixed(1)} ms`);
    }
    if (tracing) {
      const buffer = await browser.stopTracing();
      const events = (JSON.parse(buffer.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number; pid: number; args?: { beginData?: { dirtyObjects?: number; totalObjects?: number }; elementCount?: number } }[] }).traceEvents;
      // The renderer's main thread: the one with the most RunTask time.
      const run = new Map<string, number>();
      for (const e of events) if (e.name === 'RunTask' && e.dur) run.set(`${e.pid}:${e.tid}`, (run.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
      const main = [...run].sort((a, b) => b[1] - a[1])[0]![0];
      const sums = new Map<string, { n: number; us: number }>();
      for (const e of events) {
        if (`${e.pid}:${e.tid}` !== main || e.ph !== 'X' || !e.dur) continue;
        const s = sums.get(e.name) ?? { n: 0, us: 0 };
        s.n++;
        s.us += e.dur;
        sums.set(e.name, s);
      }
      console.log('--- trace (main thread, complete events)');
      for (const [k, s] of [...sums].sort((a, b) => b[1].us - a[1].us).slice(0, 25)) console.log(`${(s.us / 1000).toFixed(1).padStart(8)} ms ${String(s.n).padStart(6)}x  ${k}`);
      const layouts = events.filter((e) => `${e.pid}:${e.tid}` === main && e.name === 'Layout' && e.dur).map((e) => `${(e.dur! / 1000).toFixed(0)}ms/${e.args?.beginData?.dirtyObjects ?? '?'}of${e.args?.beginData?.totalObjects ?? '?'}`);
      console.log(`layouts: ${layouts.join(' ')}`);
    }
    if (values.timeline) {
      console.log('--- timeline (per animation frame from delivery: ms, DOM mutations, nodes in the DOM / hidden)');
      for (const line of await page.evaluate(() => (window as unknown as { timeline: string[] }).timeline)) console.log(line);
      for (const line of await page.evaluate(() => (window as unknown as { samples: string[] }).samples)) console.log(line);
      console.log(await page.evaluate(() => {
        const count = (sel: string) => document.querySelectorAll(sel).length;
        return `elements: all ${count('*')}, in nodes ${count('.react-flow__node *')}, in edges ${count('.react-flow__edge *')}, edges ${count('.react-flow__edge')}, minimap ${count('.react-flow__minimap *')}, panel ${count('.gwc-side *')}`;
      }));
    }
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] } };
    if (values.out) writeFileSync(values.out, JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
    const byFn = new Map<string, number>();
    let total = 0;
    for (const [id, us] of self) {
      const n = byId.get(id)!;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
      byFn.set(key, (byFn.get(key) ?? 0) + us);
      total += us;
    }
    // Inclusive time per function: each sample counted once per distinct function on its stack.
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const incl = new Map<string, number>();
    for (const [id, us] of self) {
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const n = byId.get(cur)!;
        const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
        if (seen.has(key)) continue;
        seen.add(key);
        incl.set(key, (incl.get(key) ?? 0) + us);
      }
    }
    console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
    console.log('--- self');
    for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
    console.log('--- inclusive');
    for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 160)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
})().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
