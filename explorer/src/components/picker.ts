import { html } from 'htm/preact';
import type { DatasetInfo } from '../catalog.js';
import { formatCount, formatSyncTime } from '../format.js';

interface Props {
  catalog: DatasetInfo[];
  current: DatasetInfo;
  onPick(key: string): void;
}

/** Every dataset the API serves, with its row count; the chosen one's last sync below. */
export function Picker({ catalog, current, onPick }: Props) {
  return html`
    <div class="picker">
      <label for="dataset-picker">Dataset</label>
      <select
        id="dataset-picker"
        data-testid="dataset-picker"
        value=${current.key}
        onChange=${(event: Event) => onPick((event.currentTarget as HTMLSelectElement).value)}
      >
        ${catalog.map(
          (dataset) => html`<option value=${dataset.key}>${dataset.title} (${formatCount(dataset.rowCount)} rows)</option>`,
        )}
      </select>
      <p class="sync">
        ${formatCount(current.rowCount)} rows · last sync ${formatSyncTime(current.lastLoadedAt)}
      </p>
    </div>
  `;
}
