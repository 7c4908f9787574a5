import { html } from 'htm/preact';
import { formatCell, formatCount } from '../format.js';
import type { Loaded } from '../hooks.js';
import type { Page } from '../sdk.js';

interface Props {
  page: Loaded<Page>;
  /** Rows matching the filters (every page). */
  count: Loaded<number>;
  firstPage: boolean;
  onNext(cursor: string): void;
  onFirst(): void;
}

/** One page of rows; "Next" follows the API's cursor, "First page" starts over (Back returns a page). */
export function RowsTable({ page, count, firstPage, onNext, onFirst }: Props) {
  const rows = page.data?.data ?? [];
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  const next = page.data?.next_cursor ?? null;
  return html`
    <section class="panel rows-panel" aria-labelledby="rows-title">
      <div class="panel-head">
        <h2 id="rows-title">Rows</h2>
        <p class="muted" aria-live="polite">
          ${page.error || count.error
            ? html`<span class="error">${(page.error ?? count.error)!.message}</span>`
            : count.data !== undefined
              ? `${formatCount(count.data)} match`
              : ''}
        </p>
      </div>
      <div class="table-scroll" tabindex="0" aria-label="Rows table, scrolls sideways">
        <table data-testid="rows" aria-busy=${page.loading ? 'true' : 'false'}>
          <thead>
            <tr>
              ${columns.map((column) => html`<th scope="col">${column}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${rows.map((row) => html`<tr>${columns.map((column) => html`<td>${formatCell(row[column])}</td>`)}</tr>`)}
          </tbody>
        </table>
        ${!page.loading && !page.error && rows.length === 0 ? html`<p class="muted">No rows match.</p>` : null}
      </div>
      <nav class="pager" aria-label="Pages of rows">
        <button type="button" disabled=${firstPage} onClick=${onFirst}>First page</button>
        <button type="button" disabled=${!next} onClick=${() => next && onNext(next)}>Next page</button>
      </nav>
    </section>
  `;
}
