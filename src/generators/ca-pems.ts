/** The generator's inputs read from certificate files: the public PEMs of the design's CA certificates. */
import type { Design } from '../schemas/design.js';
import type { CertificateFile } from '../model/design-index.js';
import { certificateBlocks } from './k8s/index.js';

/**
 * Public PEMs of the CA certificates whose files were read, by certificate id (they fill the CA bundles and the
 * trusted-root parameters). Only CERTIFICATE blocks are kept: a private key in a file never passes.
 */
export function caPemsOf(design: Design, files: ReadonlyMap<string, CertificateFile>): Map<string, string> {
  const out = new Map<string, string>();
  for (const cert of design.certificates) {
    if (cert.role !== 'ca' || !cert.file) continue;
    const file = files.get(cert.file);
    if (file?.status !== 'read') continue;
    const blocks = certificateBlocks(file.content);
    if (blocks.length) out.set(cert.id, `${blocks.join('\n')}\n`);
  }
  return out;
}
