/*
 * "Copy as curl", "Copy as SDK code" and "Download CSV" for the current view. Each is complete:
 * pasted into a shell or an ES module, it runs as is and answers what the page shows.
 */
import type { DatasetInfo } from './catalog.js';
import { filterParams, pageParams, sdkParams } from './query.js';
import type { ViewState } from './state.js';

/** `/v1/crimes?primary_type=THEFT,BATTERY&limit=50`: arrays as the API's comma lists. */
export function apiPath(dataset: DatasetInfo, params: Record<string, string | string[] | number>): string {
  const query = Object.entries(params)
    .map(([name, value]) => {
      const values = Array.isArray(value) ? value : [String(value)];
      return `${name}=${values.map(encodeValue).join(',')}`;
    })
    .join('&');
  return `/v1/${dataset.key}${query ? `?${query}` : ''}`;
}

/** The table's page as a curl command (single-quoted: the URL holds `&`). */
export function curlCommand(origin: string, dataset: DatasetInfo, state: ViewState): string {
  return `curl -s '${origin}${apiPath(dataset, pageParams(dataset, state))}'`;
}

/** Every matching row as CSV, streamed by the server. */
export function csvHref(dataset: DatasetInfo, state: ViewState): string {
  return apiPath(dataset, { ...filterParams(dataset, state), format: 'csv' });
}

/** An ES module that prints the table's page through the SDK. */
export function sdkCode(origin: string, dataset: DatasetInfo, state: ViewState): string {
  const params = sdkParams(pageParams(dataset, state));
  const literal = Object.entries(params)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(', ');
  return [
    `import { createLakefront } from '@lakefront/sdk';`,
    ``,
    `const lf = createLakefront({ baseUrl: ${JSON.stringify(origin)} });`,
    `const page = await lf.${dataset.sdkName}.list({ ${literal} });`,
    `console.table(page.data);`,
  ].join('\n');
}

/** Percent-encoded, `'` included, so the URL is safe inside the curl command's single quotes. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/'/g, '%27');
}
