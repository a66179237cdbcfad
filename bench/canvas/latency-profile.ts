/**
 * `node --import tsx bench/canvas/latency-profile.ts [-- --design 100 --action move --samples 5]`: a CPU profile
 * (Chrome DevTools Protocol Profiler) of what runs between the event that ends a gesture and the frame that shows
 * it, in the latency samples of test/helpers/canvas-latency.ts (production bundle, not minified, so that the
 * functions can be read), summed over the samples by function: self time and inclusive time. `--design reference`
 * profiles the reference design; a number, a generated design of that many nodes. `--answer` profiles the host's
 * answer between samples instead (the state message parsed and drawn).
 */
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../../test/helpers/chromium.js';
import { bundleWebview, latencyDesigns, LATENCY_ACTIONS, measureLatency, median, type LatencyAction } from '../../test/helpers/canvas-latency.js';

const { values } = parseArgs({
  options: {
    design: { type: 'string', default: '100' },
    action: { type: 'string', default: 'move' },
    samples: { type: 'string', default: '5' },
    top: { type: 'string', default: '40' },
    /** Count calls (precise coverage) of every function between the event and the frame instead of profiling. */
    counts: { type: 'boolean', default: false },
  },
  strict: true,
});
const action = values.action as LatencyAction;
if (!LATENCY_ACTIONS.includes(action)) throw new Error(`--action takes one of ${LATENCY_ACTIONS.join(', ')}`);
const design = values.design === 'reference' ? latencyDesigns([])[0]! : latencyDesigns([Number(values.design)])[1]!;
const top = Number(values.top);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const self = new Map<string, number>();
const incl = new Map<string, number>();
let total = 0;
/** Sampled ticks by bundle line, for the hottest lines. */
const lines = new Map<string, number>();
const calls = new Map<string, number>();
const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);

function summarise(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  for (const n of profile.nodes) for (const t of n.positionTicks ?? []) add(lines, `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${t.line}`, t.ticks);
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const leaf = byId.get(profile.samples[i]!)!;
    if (leaf.callFrame.functionName === '(idle)' || leaf.callFrame.functionName === '(program)') continue;
    total += us;
    add(self, key(leaf), us);
    const seen = new Set<string>();
    for (let cur: number | undefined = leaf.id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      add(incl, k, us);
    }
  }
}

void (async () => {
  const [browser, bundle] = await Promise.all([launchChromium(), bundleWebview({ minify: false })]);
  let samples = 0;
  try {
    const probeFor = async (page: Page) => {
      const cdp: CDPSession = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      if (values.counts) {
        await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
        return {
          start: async () => {
            await cdp.send('Profiler.takePreciseCoverage');
          },
          stop: async () => {
            const { result } = (await cdp.send('Profiler.takePreciseCoverage')) as unknown as { result: { url: string; functions: { functionName: string; ranges: { startOffset: number; count: number }[] }[] }[] };
            for (const script of result) {
              if (!script.url.endsWith('webview.js')) continue;
              for (const f of script.functions) {
                const n = f.ranges[0]?.count ?? 0;
                if (n > 0 && f.functionName) add(calls, `${f.functionName} @${f.ranges[0]!.startOffset}`, n);
              }
            }
            samples++;
          },
        };
      }
      // The page starts and ends the profile itself (console.profile at the event, console.profileEnd in the
      // frame's callback: test/helpers/canvas-latency.ts), so that it holds exactly what runs between them.
      await page.evaluate(() => ((window as unknown as { latencyProfile: boolean }).latencyProfile = true));
      const profiles: Profile[] = [];
      cdp.on('Profiler.consoleProfileFinished', (e) => profiles.push(e.profile as unknown as Profile));
      return {
        start: async () => {},
        stop: async () => {
          const deadline = Date.now() + 10_000;
          while (profiles.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          const profile = profiles.shift();
          if (!profile) throw new Error('no profile from the page');
          summarise(profile);
          samples++;
        },
      };
    };
    const r = await measureLatency(browser, bundle.dir, design, Number(values.samples), [action], probeFor);
    const s = r.actions[action];
    console.log(`${design.name}, ${action}: frame ${s.frame.map((x) => x.toFixed(1)).join(', ')} (median ${median(s.frame).toFixed(1)}); dom median ${median(s.dom).toFixed(1)}; frames ${s.frames.join(', ')}`);
    if (r.errors.length) console.log(`page errors: ${r.errors.join('; ')}`);
  } finally {
    await browser.close();
    bundle.dispose();
  }
  if (values.counts) {
    console.log('--- calls per sample, between the event and the frame');
    for (const [k, n] of [...calls].sort((a, b) => b[1] - a[1]).slice(0, top * 3)) console.log(`${(n / samples).toFixed(1).padStart(10)}  ${k}`);
    return;
  }
  console.log(`sampled ${(total / 1000 / samples).toFixed(1)} ms busy per sample from the event to the frame (idle and program left out), per-sample averages below`);
  console.log('--- self');
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(us / 1000 / samples).toFixed(2).padStart(8)} ms  ${k}`);
  console.log('--- hottest lines (sample ticks)');
  for (const [k, n] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(n).padStart(8)}  ${k}`);
  console.log('--- inclusive');
  for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`${(us / 1000 / samples).toFixed(2).padStart(8)} ms  ${k}`);
})().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
