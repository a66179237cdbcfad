/**
 * The palette: every node type with its icon and description, filtered by a search field. An entry is
 * dragged onto the canvas (the type travels in dataTransfer) or added at the centre of the view with
 * Enter or Space.
 */
import VscodeTextfield from '@vscode-elements/react-elements/dist/components/VscodeTextfield.js';
import { memo, useCallback, useMemo, useState, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import type { NodeType } from '../schemas/design.js';
import { NODE_CATALOG, searchNodeTypes } from './catalog.js';
import { Icon } from './icons.js';
import { TEST_IDS } from './test-ids.js';

/** The dataTransfer type that carries a node type from the palette to the canvas. */
export const NODE_TYPE_MIME = 'application/x-gatewright-node-type';

export interface PaletteProps {
  /** Adds a node of this type at the centre of the view (keyboard). */
  onAdd(type: NodeType): void;
  disabled: boolean;
}

function PaletteView({ onAdd, disabled }: PaletteProps) {
  const [query, setQuery] = useState('');
  const types = useMemo(() => searchNodeTypes(query), [query]);

  const onDragStart = useCallback((event: DragEvent<HTMLElement>) => {
    const type = event.currentTarget.dataset.nodeType;
    if (!type) return;
    event.dataTransfer.setData(NODE_TYPE_MIME, type);
    event.dataTransfer.setData('text/plain', type);
    event.dataTransfer.effectAllowed = 'copy';
  }, []);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      const type = event.currentTarget.dataset.nodeType as NodeType | undefined;
      if (type && !disabled) onAdd(type);
    },
    [onAdd, disabled],
  );

  const onDoubleClick = useCallback(
    (event: MouseEvent<HTMLElement>) => {
      const type = event.currentTarget.dataset.nodeType as NodeType | undefined;
      if (type && !disabled) onAdd(type);
    },
    [onAdd, disabled],
  );

  return (
    <nav className="gwc-palette" aria-label="Components" data-testid={TEST_IDS.palette}>
      <div className="gwc-palette__header">
        <h2 className="gwc-heading">Components</h2>
        <VscodeTextfield
          className="gwc-palette__search"
          data-testid={TEST_IDS.paletteSearch}
          type="search"
          placeholder="Search components"
          label="Search components"
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
      </div>
      <ul className="gwc-palette__list" role="list" aria-label="Component types (drag onto the canvas, or press Enter to add)">
        {types.map((type) => {
          const info = NODE_CATALOG[type];
          return (
            <li key={type} className="gwc-palette__entry">
              <div
                className={`gwc-palette__item${disabled ? ' gwc-palette__item--disabled' : ''}`}
                role="button"
                tabIndex={0}
                aria-label={`Add ${info.title}`}
                aria-description={info.description}
                aria-disabled={disabled || undefined}
                title={`${info.description}\nDrag onto the canvas, or press Enter to add at the centre.`}
                draggable={!disabled}
                data-node-type={type}
                data-testid={`palette-item-${type}`}
                onDragStart={onDragStart}
                onKeyDown={onKeyDown}
                onDoubleClick={onDoubleClick}
              >
                <Icon name={type} className="gwc-palette__icon" />
                <span className="gwc-palette__text">
                  <span className="gwc-palette__title">{info.title}</span>
                  <span className="gwc-palette__description">{info.description}</span>
                </span>
              </div>
            </li>
          );
        })}
        {types.length === 0 ? <li className="gwc-palette__empty">No component matches “{query}”.</li> : null}
      </ul>
    </nav>
  );
}

export const Palette = memo(PaletteView);
