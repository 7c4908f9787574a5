import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { DatasetInfo } from '../catalog.js';
import { csvHref, curlCommand, sdkCode } from '../exports.js';
import type { ViewState } from '../state.js';

interface Props {
  dataset: DatasetInfo;
  state: ViewState;
}

/** The current view, to take elsewhere: the table's page as curl or SDK code, every row as CSV. */
export function ExportBar({ dataset, state }: Props) {
  const [copied, setCopied] = useState('');
  const curl = curlCommand(location.origin, dataset, state);
  const code = sdkCode(location.origin, dataset, state);
  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`${what} copied`);
    } catch {
      // Clipboard access needs a secure context (https or localhost): the text stays selectable.
      setCopied(`Could not reach the clipboard: select the text and copy it`);
    }
  };
  return html`
    <section class="panel export" aria-labelledby="export-title">
      <h2 id="export-title">Take this view elsewhere</h2>
      <div class="export-actions">
        <button type="button" onClick=${() => copy('curl command', curl)}>Copy as curl</button>
        <button type="button" onClick=${() => copy('SDK code', code)}>Copy as SDK code</button>
        <a class="button" href=${csvHref(dataset, state)} download=${`${dataset.key}.csv`}>Download CSV</a>
        <span class="muted" role="status">${copied}</span>
      </div>
      <pre class="code"><code data-testid="copy-curl">${curl}</code></pre>
      <details>
        <summary>SDK code</summary>
        <pre class="code"><code data-testid="copy-sdk">${code}</code></pre>
      </details>
    </section>
  `;
}
