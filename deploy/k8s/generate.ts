// Writes base/sync-cronjobs.generated.yaml from the dataset registry (`npm run deploy:generate`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { datasets } from '../../core/datasets/index.js';
import { renderSyncCronJobs, SYNC_CRONJOBS_FILE } from './sync-cronjobs.js';

writeFileSync(SYNC_CRONJOBS_FILE, renderSyncCronJobs(datasets));
process.stdout.write(`wrote ${fileURLToPath(SYNC_CRONJOBS_FILE)} (${datasets.length} CronJobs)\n`);
