import { datasets, sourceIdsOf, type DatasetDefinition } from '../../core/datasets/index.js';
import { createSodaClient } from '../../ingest/socrata/client.js';
import { compareSchema, hasDrift, type SchemaDrift } from '../../ingest/sync/schema-drift.js';
import type { CliContext } from '../context.js';
import { requireDataset } from './load-sample.js';

/** One portal id of a dataset against its definition: the drift, or why its metadata could not be read. */
export interface CheckResult {
  readonly dataset: DatasetDefinition;
  readonly sourceId: string;
  readonly drift?: SchemaDrift;
  readonly error?: string;
}

/**
 * `lakefront check [dataset...]`: reads each portal id's column metadata (`/api/views/{id}.json`)
 * and compares it with the definition. Prints one block per portal id; exits 1 when anything
 * drifted (a column missing, new or retyped) or could not be read. Needs no database.
 */
export async function checkCommand(context: CliContext, keys: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const selected = keys.length ? keys.map(requireDataset) : [...datasets];
  const results = await checkDatasets(context.config.socrataUrl, context.config.socrataAppToken, selected, env);
  process.stdout.write(formatCheck(results));
  return results.some((result) => result.error !== undefined || (result.drift && hasDrift(result.drift))) ? 1 : 0;
}

export async function checkDatasets(baseUrl: string, appToken: string | undefined, selected: readonly DatasetDefinition[], env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  const client = createSodaClient({ baseUrl, appToken, retries: 2 });
  const results: CheckResult[] = [];
  for (const dataset of selected) {
    for (const sourceId of sourceIdsOf(dataset, env)) {
      try {
        results.push({ dataset, sourceId, drift: compareSchema(dataset, await client.columns(sourceId)) });
      } catch (error) {
        results.push({ dataset, sourceId, error: (error as Error).message });
      }
    }
  }
  return results;
}

export function formatCheck(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const { dataset, sourceId, drift, error } of results) {
    const title = `${dataset.key} (${sourceId})`;
    if (error !== undefined) {
      lines.push(`${title}: metadata unreadable: ${error}`);
    } else if (!drift || !hasDrift(drift)) {
      lines.push(`${title}: matches the definition`);
    } else {
      lines.push(`${title}: DRIFT`);
      for (const field of drift.missing) lines.push(`  missing on the portal: ${field}`);
      for (const item of drift.retyped) lines.push(`  type changed: ${item.field} (defined ${item.defined}, portal ${item.portal})`);
      for (const field of drift.added) lines.push(`  new on the portal: ${field}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

