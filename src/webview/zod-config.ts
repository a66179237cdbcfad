/**
 * Imported first by main.tsx: the webview's Content Security Policy forbids eval, so zod must not probe for
 * it (the probe runs while the schemas are built and would log a CSP violation).
 */
import { z } from 'zod';

z.config({ jitless: true });
