/**
 * The node type icons (media/icons/*.svg, drawn for this project, bundled as text). They are put once in
 * the page as <symbol>s of a hidden sprite; nodes, the palette and edges draw them with <use>, which is
 * cheap for thousands of nodes and keeps `currentColor`, so the icons follow the theme.
 */
import { memo, useEffect } from 'react';
import type { NodeType } from '../schemas/design.js';
import aksCluster from '../../media/icons/aksCluster.svg';
import apiManagement from '../../media/icons/apiManagement.svg';
import applicationGateway from '../../media/icons/applicationGateway.svg';
import applicationInsights from '../../media/icons/applicationInsights.svg';
import bastion from '../../media/icons/bastion.svg';
import containerRegistry from '../../media/icons/containerRegistry.svg';
import cosmosDb from '../../media/icons/cosmosDb.svg';
import defenderForCloud from '../../media/icons/defenderForCloud.svg';
import entraId from '../../media/icons/entraId.svg';
import internet from '../../media/icons/internet.svg';
import keyVault from '../../media/icons/keyVault.svg';
import lock from '../../media/icons/lock.svg';
import logAnalytics from '../../media/icons/logAnalytics.svg';
import managedIdentity from '../../media/icons/managedIdentity.svg';
import sentinel from '../../media/icons/sentinel.svg';
import sqlDatabase from '../../media/icons/sqlDatabase.svg';
import virtualNetwork from '../../media/icons/virtualNetwork.svg';
import { parseIcon, type IconShape } from './icon-shape.js';

const SOURCES: Record<NodeType | 'lock', string> = {
  internet,
  applicationGateway,
  apiManagement,
  aksCluster,
  containerRegistry,
  entraId,
  managedIdentity,
  sqlDatabase,
  cosmosDb,
  keyVault,
  logAnalytics,
  applicationInsights,
  defenderForCloud,
  sentinel,
  bastion,
  virtualNetwork,
  lock,
};

export type IconName = keyof typeof SOURCES;

/** Every icon as viewBox, presentation attributes and inner markup (also used by the SVG export). */
export const ICONS: Readonly<Record<IconName, IconShape>> = Object.fromEntries(
  Object.entries(SOURCES).map(([name, text]) => [name, parseIcon(text)]),
) as Record<IconName, IconShape>;

export const iconId = (name: IconName) => `gw-icon-${name}`;

/** The hidden sprite with one <symbol> per icon; render it once. */
export const IconSprite = memo(function IconSprite() {
  const markup = Object.entries(ICONS)
    .map(([name, icon]) => `<symbol id="${iconId(name as IconName)}" viewBox="${icon.viewBox}" ${icon.attributes}>${icon.body}</symbol>`)
    .join('');
  return (
    <svg aria-hidden="true" focusable="false" style={{ position: 'absolute', width: 0, height: 0, overflow: 'hidden' }}>
      <defs dangerouslySetInnerHTML={{ __html: markup }} />
    </svg>
  );
});

/**
 * Node icons as CSS background images (data: URLs of the same SVG files, drawn in the theme's foreground
 * color), set as custom properties --gw-icon-<type> on <body> and used by the .gwc-icon--<type> classes.
 * A background image is part of the node's own painting: an inline <svg> per node would add a layer of
 * paint the browser composites again on every frame, a thousand times in a large diagram. The colors follow
 * theme changes (VS Code restyles <html> and <body> when the theme changes). Needs CSP `img-src data:`.
 */
export function setIconColors(target: HTMLElement = document.body): () => void {
  let applied = '';
  const apply = () => {
    const color = getComputedStyle(target).getPropertyValue('--gw-fg').trim() || getComputedStyle(target).color || '#000';
    if (color === applied) return;
    applied = color;
    for (const [name, text] of Object.entries(SOURCES)) {
      const svg = text.replace(/currentColor/g, color).replace(/<title>[\s\S]*?<\/title>/, '');
      target.style.setProperty(`--gw-icon-${name}`, `url("data:image/svg+xml,${encodeURIComponent(svg)}")`);
    }
  };
  apply();
  const observer = new MutationObserver(apply);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  if (target !== document.documentElement) observer.observe(target, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

/** Keeps the icon colors of setIconColors in step with the theme while mounted. */
export function IconColors() {
  useEffect(() => setIconColors(), []);
  return null;
}

/** An icon drawn from the sprite. */
export const Icon = memo(function Icon({ name, className, size }: { name: IconName; className?: string; size?: number }) {
  return (
    <svg className={className} width={size} height={size} aria-hidden="true" focusable="false">
      <use href={`#${iconId(name)}`} />
    </svg>
  );
});
