/**
 * Entry of the designer webview (bundled by scripts/build.mjs to dist/webview.js and dist/webview.css).
 * The page must have a <div id="root">; see channel.ts for running it outside VS Code with a fake host.
 */
import './zod-config.js';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connectToHost } from './channel.js';

const channel = connectToHost();

function report(message: string): void {
  channel.post({ type: 'error', message: message.slice(0, 10_000) });
}
window.addEventListener('error', (e) => report(`webview error: ${e.message}${e.filename ? ` (${e.filename}:${e.lineno})` : ''}`));
window.addEventListener('unhandledrejection', (e) => report(`webview: unhandled rejection: ${e.reason instanceof Error ? e.reason.message : String(e.reason)}`));

let container = document.getElementById('root');
if (!container) {
  container = document.createElement('div');
  container.id = 'root';
  document.body.appendChild(container);
}
createRoot(container).render(<App channel={channel} />);
