/** The diagram export the host asks for: SVG built from the design as drawn, PNG rasterized from it. */
import { useCallback, type RefObject } from 'react';
import type { Position } from '../../schemas/design.js';
import type { Channel } from '../channel.js';
import { buildSvg } from '../export.js';
import { ICONS } from '../icons.js';
import type { Size } from '../layout.js';
import { svgToPngBase64, themeExportColors } from '../rasterize.js';
import type { Store } from '../store.js';
import type { Host } from './use-host.js';

export function useExport(
  channel: Channel,
  store: Store,
  host: Host,
  canvasRef: RefObject<HTMLDivElement | null>,
  drawnPositions: () => Map<string, Position>,
  measuredSizes: () => Map<string, Size>,
): (requestId: string, format: 'svg' | 'png') => Promise<void> {
  const { reportError } = host;
  return useCallback(
    async (requestId: string, format: 'svg' | 'png') => {
      const st = store.getState();
      try {
        if (!st.design) throw new Error('there is no design to export yet');
        const svg = buildSvg({
          design: st.design,
          positions: drawnPositions(),
          sizes: measuredSizes(),
          findings: st.drawnFindings,
          icons: ICONS,
          colors: themeExportColors(canvasRef.current ?? document.body),
        });
        const data = format === 'svg' ? svg : await svgToPngBase64(svg);
        channel.post({ type: 'exportResult', requestId, format, data });
      } catch (e) {
        reportError(`export as ${format.toUpperCase()} failed`, e);
      }
    },
    [store, channel, canvasRef, drawnPositions, measuredSizes, reportError],
  );
}
