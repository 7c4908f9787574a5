import { stringify } from 'yaml';
import type { DatasetDefinition, SyncCadence } from '../../core/datasets/index.js';

/** Where the generated manifests live; `npm run deploy:generate` writes it, the manifest test checks it. */
export const SYNC_CRONJOBS_FILE = new URL('./base/sync-cronjobs.generated.yaml', import.meta.url);

export const IMAGE = 'ghcr.io/lakefront/lakefront:0.1.0';

/**
 * How often each dataset changes at the source decides how often it is synced. Limits per cadence:
 * the starting deadline is shorter than the interval (a missed run is skipped, not stacked), the
 * active deadline stops a hung run so `Forbid` cannot block a dataset for good (the sync resumes
 * from its watermark next time), and the backoff retries transient failures a few times.
 */
const CADENCES: Readonly<Record<SyncCadence, CadenceLimits>> = {
  // Fast-moving incident data: minutes behind the portal.
  minutes: { startingDeadlineSeconds: 120, activeDeadlineSeconds: 3600, backoffLimit: 2, memoryLimit: '768Mi', heapMb: 384 },
  // Large trip tables published in batches: hourly is as fresh as the source.
  hourly: { startingDeadlineSeconds: 900, activeDeadlineSeconds: 3 * 3600, backoffLimit: 2, memoryLimit: '1Gi', heapMb: 512 },
  // Reference data (stops, ridership totals).
  daily: { startingDeadlineSeconds: 3600, activeDeadlineSeconds: 2 * 3600, backoffLimit: 3, memoryLimit: '768Mi', heapMb: 384 },
  // Boundaries and census population change a few times a decade.
  weekly: { startingDeadlineSeconds: 6 * 3600, activeDeadlineSeconds: 3600, backoffLimit: 3, memoryLimit: '768Mi', heapMb: 384 },
};

interface CadenceLimits {
  readonly startingDeadlineSeconds: number;
  readonly activeDeadlineSeconds: number;
  readonly backoffLimit: number;
  readonly memoryLimit: string;
  readonly heapMb: number;
}

/**
 * Seconds between SIGTERM (deadline reached, node drained) and SIGKILL. `lakefront sync` commits the
 * page in hand on SIGTERM and allows itself 30 s for it (cli/graceful-stop.ts); this leaves margin.
 */
export const SYNC_TERMINATION_GRACE_SECONDS = 45;

export function syncCronJobName(datasetKey: string): string {
  return `lakefront-sync-${datasetKey}`;
}

export function syncCronJob(dataset: DatasetDefinition): Record<string, unknown> {
  // The schedule is the dataset's own decision (its definition's `sync`); limits follow its cadence.
  const plan = dataset.sync;
  const limits = CADENCES[plan.cadence];
  const labels = {
    'app.kubernetes.io/name': 'lakefront',
    'app.kubernetes.io/component': 'ingest',
    'lakefront.io/dataset': dataset.key,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: syncCronJobName(dataset.key), labels },
    spec: {
      schedule: plan.schedule,
      timeZone: 'America/Chicago',
      // Never two syncs of one dataset from the scheduler; the advisory lock in `sync` covers manual runs.
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: limits.startingDeadlineSeconds,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: limits.backoffLimit,
          activeDeadlineSeconds: limits.activeDeadlineSeconds,
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              terminationGracePeriodSeconds: SYNC_TERMINATION_GRACE_SECONDS,
              securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'sync',
                  image: IMAGE,
                  args: ['sync', dataset.key],
                  envFrom: [{ configMapRef: { name: 'lakefront-config' } }],
                  env: [
                    secretEnv('DATABASE_URL'),
                    secretEnv('SOCRATA_APP_TOKEN', true),
                    // A V8 heap cap below the container limit: an oversized page fails as a JS error
                    // the sync reports, not as a silent kill by the kernel.
                    { name: 'NODE_OPTIONS', value: `--max-old-space-size=${limits.heapMb}` },
                  ],
                  resources: {
                    requests: { cpu: '200m', memory: '256Mi' },
                    limits: { cpu: '1', memory: limits.memoryLimit },
                  },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
            },
          },
        },
      },
    },
  };
}

function secretEnv(key: string, optional = false) {
  return { name: key, valueFrom: { secretKeyRef: { name: 'lakefront-secrets', key, ...(optional ? { optional: true } : {}) } } };
}

/** The whole generated file: a header, then one CronJob per dataset, in registry order. */
export function renderSyncCronJobs(datasets: readonly DatasetDefinition[]): string {
  const header = [
    '# GENERATED by deploy/k8s/generate.ts from core/datasets: do not edit by hand.',
    '# Change deploy/k8s/sync-cronjobs.ts or the datasets, then run `npm run deploy:generate`.',
    '# One CronJob per dataset; each runs `lakefront sync <dataset>`.',
  ].join('\n');
  const documents = datasets.map((dataset) => stringify(syncCronJob(dataset), { lineWidth: 0, aliasDuplicateObjects: false }));
  return `${header}\n${documents.map((document) => `---\n${document}`).join('')}`;
}
