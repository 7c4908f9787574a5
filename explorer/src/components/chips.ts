import { html } from 'htm/preact';
import type { ViewState } from '../state.js';

interface Props {
  state: ViewState;
  onRemove(column: string, value: string): void;
  onClearRange(): void;
}

/** The active filters, each a button that removes it. */
export function Chips({ state, onRemove, onClearRange }: Props) {
  const range = state.from || state.to;
  const chips = Object.entries(state.filters).flatMap(([column, values]) => values.map((value) => ({ column, value })));
  if (!range && chips.length === 0) return html`<p class="chips empty">No filters: every row.</p>`;
  return html`
    <ul class="chips" aria-label="Active filters">
      ${range &&
      html`<li>
        <button type="button" class="chip" aria-label=${`Remove time range ${state.from ?? '…'} to ${state.to ?? '…'}`} onClick=${onClearRange}>
          ${state.from ?? '…'} → ${state.to ?? '…'} <span aria-hidden="true">×</span>
        </button>
      </li>`}
      ${chips.map(
        ({ column, value }) => html`<li>
          <button
            type="button"
            class="chip"
            data-testid="filter-chip"
            aria-label=${`Remove filter ${column} = ${value}`}
            onClick=${() => onRemove(column, value)}
          >
            ${column}: ${value} <span aria-hidden="true">×</span>
          </button>
        </li>`,
      )}
    </ul>
  `;
}
