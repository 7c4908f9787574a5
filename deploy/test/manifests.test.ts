import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { datasets } from '../../core/datasets/index.js';
import { spec } from '../../server/src/spec.js';
import { renderSyncCronJobs, SYNC_CRONJOBS_FILE, syncCronJobName } from '../k8s/sync-cronjobs.js';
import { readManifests, renderKustomization, splitImage, type K8sObject } from './render.js';

const K8S = fileURLToPath(new URL('../k8s/', import.meta.url));
const NAMESPACE = 'lakefront';
const SECRET = 'lakefront-secrets';
const API_LABELS = { 'app.kubernetes.io/name': 'lakefront', 'app.kubernetes.io/component': 'api' };
const DATABASE_LABELS = { 'app.kubernetes.io/name': 'lakefront', 'app.kubernetes.io/component': 'database' };

// Each kind Lakefront deploys, with its schema from the Kubernetes OpenAPI (kubernetes-models).
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const secretTemplate = readManifests(`${K8S}base/secret.template.yaml`)[0]!;
const documentedSecretKeys = Object.keys(secretTemplate.stringData ?? {});

const overlays = {
  dev: renderKustomization(`${K8S}overlays/dev`),
  prod: renderKustomization(`${K8S}overlays/prod`),
};

const kubectlAvailable = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function podSpecOf(object: K8sObject): any | undefined {
  if (object.kind === 'CronJob') return object.spec.jobTemplate.spec.template.spec;
  if (['Deployment', 'StatefulSet', 'Job'].includes(object.kind)) return object.spec.template.spec;
  return undefined;
}

function podLabelsOf(object: K8sObject): Record<string, string> {
  const template = object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template;
  return template.metadata.labels;
}

const workloads = (objects: K8sObject[]) => objects.filter((object) => podSpecOf(object));

function containersOf(object: K8sObject): any[] {
  const spec = podSpecOf(object);
  return [...(spec.initContainers ?? []), ...spec.containers];
}

function one(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]!);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]!);
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    throw new Error(`unknown selector operator ${operator}`);
  });
  return byLabels && byExpressions;
}

/** Egress rules that apply to pods with `labels` (policies add up). */
function egressRulesFor(objects: K8sObject[], labels: Record<string, string>): any[] {
  return objects
    .filter((object) => object.kind === 'NetworkPolicy')
    .filter((policy) => policy.spec.policyTypes.includes('Egress') && selects(policy.spec.podSelector, labels))
    .flatMap((policy) => policy.spec.egress ?? []);
}

/** The shortest time between two runs of a five-field cron schedule, in seconds (minute/hour steps only). */
function shortestIntervalSeconds(schedule: string): number {
  const [minute = '', hour = ''] = schedule.split(' ');
  const step = /\/(\d+)$/.exec(minute);
  if (step) return Number(step[1]) * 60;
  if (minute === '*') return 60;
  if (hour === '*') return 3600;
  if (/^\d+$/.test(hour)) return 86400;
  throw new Error(`schedule ${schedule} is not understood by this test`);
}

describe('generated sync CronJobs', () => {
  it('base/sync-cronjobs.generated.yaml is exactly what `npm run deploy:generate` writes from core/datasets', () => {
    expect(readFileSync(SYNC_CRONJOBS_FILE, 'utf8')).toBe(renderSyncCronJobs(datasets));
  });
});

describe.each(Object.entries(overlays))('overlay %s', (environment, objects) => {
  it.skipIf(!kubectlAvailable)('renders to the same objects as `kubectl kustomize`', () => {
    const output = execFileSync('kubectl', ['kustomize', `${K8S}overlays/${environment}`], { encoding: 'utf8' });
    const fromKubectl = output
      .split(/^---$/m)
      .map((document) => document.trim())
      .filter(Boolean)
      .map((document) => parseYaml(document) as K8sObject);
    const key = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;
    const sort = (list: K8sObject[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(objects)).toEqual(sort(fromKubectl));
  });

  it('validates every object against the Kubernetes OpenAPI schema', () => {
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${object.apiVersion} ${object.kind} has a schema here`).toBeDefined();
      expect(() => new Model!(object as never).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
  });

  it('puts everything in the one namespace `lakefront`, which it defines', () => {
    expect(objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name)).toEqual([NAMESPACE]);
    for (const object of objects.filter((object) => object.kind !== 'Namespace')) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(NAMESPACE);
    }
  });

  it('pins every image to a version tag: never `:latest`, never untagged', () => {
    for (const object of workloads(objects)) {
      for (const container of containersOf(object)) {
        const { tag } = splitImage(container.image);
        expect(tag, `${object.metadata.name}/${container.name}: ${container.image}`).toMatch(/^v?\d+\.\d+(\.\d+)?([-.][\w.-]+)?$|^@sha256:[0-9a-f]{64}$/);
      }
    }
  });

  it('gives every container cpu and memory requests and limits', () => {
    for (const object of workloads(objects)) {
      for (const container of containersOf(object)) {
        const where = `${object.metadata.name}/${container.name}`;
        for (const bound of ['requests', 'limits']) {
          expect(container.resources?.[bound]?.cpu, `${where} ${bound}.cpu`).toBeDefined();
          expect(container.resources?.[bound]?.memory, `${where} ${bound}.memory`).toBeDefined();
        }
      }
    }
  });

  it('runs every pod as non-root with a read-only root filesystem, no privilege escalation and no hostPath', () => {
    for (const object of workloads(objects)) {
      const spec = podSpecOf(object);
      expect(spec.securityContext?.runAsNonRoot, object.metadata.name).toBe(true);
      expect(spec.securityContext?.runAsUser, object.metadata.name).toBeGreaterThan(0);
      expect(spec.automountServiceAccountToken, object.metadata.name).toBe(false);
      expect((spec.volumes ?? []).filter((volume: any) => volume.hostPath), object.metadata.name).toEqual([]);
      for (const container of containersOf(object)) {
        expect(container.securityContext?.readOnlyRootFilesystem, `${object.metadata.name}/${container.name}`).toBe(true);
        expect(container.securityContext?.allowPrivilegeEscalation, `${object.metadata.name}/${container.name}`).toBe(false);
      }
    }
  });

  it('runs the API with at least 2 replicas, readiness on /readyz and liveness on /healthz at its port', () => {
    const api = one(objects, 'Deployment', 'lakefront-api');
    expect(api.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(selects(api.spec.selector, podLabelsOf(api))).toBe(true);
    const [container] = api.spec.template.spec.containers;
    expect(container.args).toEqual(['serve']);
    const portNames = container.ports.map((port: any) => port.name);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(portNames).toContain(container.readinessProbe.httpGet.port);
    expect(portNames).toContain(container.livenessProbe.httpGet.port);
    const configPort = Number(one(objects, 'ConfigMap', 'lakefront-config').data.PORT);
    expect(container.ports.find((port: any) => port.name === 'http').containerPort).toBe(configPort);
  });

  it('points the PDB, the HPA, the Service and the Ingress at the API pods', () => {
    const api = one(objects, 'Deployment', 'lakefront-api');
    const apiPods = podLabelsOf(api);
    const pdb = one(objects, 'PodDisruptionBudget', 'lakefront-api');
    expect(selects(pdb.spec.selector, apiPods)).toBe(true);
    expect(pdb.spec.minAvailable).toBeLessThan(api.spec.replicas);
    const hpa = one(objects, 'HorizontalPodAutoscaler', 'lakefront-api');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'lakefront-api' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(api.spec.replicas);
    const service = one(objects, 'Service', 'lakefront-api');
    expect(selects({ matchLabels: service.spec.selector }, apiPods)).toBe(true);
    const ingress = one(objects, 'Ingress', 'lakefront-api');
    for (const rule of ingress.spec.rules) {
      for (const route of rule.http.paths) {
        expect(route.backend.service.name).toBe(service.metadata.name);
        expect(service.spec.ports.map((port: any) => port.name)).toContain(route.backend.service.port.name);
      }
    }
  });

  it('limits requests per client at the Ingress, where the client address is known, not in the API behind it', () => {
    expect(one(objects, 'ConfigMap', 'lakefront-config').data.LAKEFRONT_RATE_LIMIT).toBe('0');
    const annotations = (one(objects, 'Ingress', 'lakefront-api').metadata.annotations ?? {}) as Record<string, string>;
    expect(Number(annotations['nginx.ingress.kubernetes.io/limit-rpm'])).toBeGreaterThan(0);
  });

  it('routes every path of the API contract, the docs and the spec through the Ingress, and never /metrics', () => {
    const routes = one(objects, 'Ingress', 'lakefront-api').spec.rules.flatMap((rule: any) => rule.http.paths);
    const routed = (path: string) =>
      routes.some((route: any) =>
        route.pathType === 'Exact' ? route.path === path : path === route.path || path.startsWith(`${route.path.replace(/\/$/, '')}/`),
      );
    const contractPaths = Object.keys(spec.paths).map((path) => path.replace(/\{(\w+)\}/g, 'x'));
    expect(contractPaths.length).toBeGreaterThan(3);
    for (const path of [...contractPaths, '/docs/', '/openapi.json']) expect(routed(path), path).toBe(true);
    expect(routed('/metrics')).toBe(false);
  });

  it('has one sync CronJob per dataset key, each running `sync <key>` with Forbid, deadlines and a backoff limit', () => {
    const cronJobs = objects.filter((object) => object.kind === 'CronJob');
    expect(cronJobs.map((job) => job.metadata.name).sort()).toEqual(datasets.map((dataset) => syncCronJobName(dataset.key)).sort());
    for (const dataset of datasets) {
      const cronJob = one(objects, 'CronJob', syncCronJobName(dataset.key));
      expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
      expect(cronJob.spec.startingDeadlineSeconds).toBeGreaterThan(0);
      // A missed run is dropped before the next one is due, never stacked behind it.
      expect(cronJob.spec.startingDeadlineSeconds).toBeLessThan(shortestIntervalSeconds(cronJob.spec.schedule));
      expect(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(cronJob.spec.jobTemplate.spec.backoffLimit).toBeGreaterThanOrEqual(0);
      expect(cronJob.spec.jobTemplate.spec.template.spec.containers[0].args).toEqual(['sync', dataset.key]);
      // `sync` needs up to 30 s after SIGTERM to commit the page in hand (cli/graceful-stop.ts).
      expect(cronJob.spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    }
  });

  it('syncs crimes every 4 minutes, and boundaries and population at most daily', () => {
    expect(one(objects, 'CronJob', syncCronJobName('crimes')).spec.schedule).toBe('*/4 * * * *');
    const slow = datasets.filter((dataset) => dataset.geometryColumn || dataset.key === 'population');
    expect(slow.length).toBeGreaterThan(0);
    for (const dataset of slow) {
      const schedule = one(objects, 'CronJob', syncCronJobName(dataset.key)).spec.schedule;
      expect(shortestIntervalSeconds(schedule), `${dataset.key}: ${schedule}`).toBeGreaterThanOrEqual(86400);
    }
  });

  it('refers only to Secret and ConfigMap keys that are defined (the Secret by its documented template)', () => {
    const configMaps = new Map(objects.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata.name, object]));
    const renderedSecret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === SECRET);
    const providedSecretKeys = renderedSecret ? Object.keys({ ...renderedSecret.data, ...renderedSecret.stringData }) : documentedSecretKeys;
    expect(providedSecretKeys.every((key) => documentedSecretKeys.includes(key))).toBe(true);
    for (const object of workloads(objects)) {
      for (const container of containersOf(object)) {
        const where = `${object.metadata.name}/${container.name}`;
        for (const source of container.envFrom ?? []) {
          expect(source.secretRef, `${where}: secrets are referenced key by key`).toBeUndefined();
          expect(configMaps.has(source.configMapRef?.name), `${where} envFrom ${source.configMapRef?.name}`).toBe(true);
        }
        for (const variable of container.env ?? []) {
          const secretRef = variable.valueFrom?.secretKeyRef;
          if (secretRef) {
            expect(secretRef.name, where).toBe(SECRET);
            expect(documentedSecretKeys, `${where} ${variable.name}`).toContain(secretRef.key);
            if (!secretRef.optional) expect(providedSecretKeys, `${where} ${variable.name}`).toContain(secretRef.key);
          }
          const configRef = variable.valueFrom?.configMapKeyRef;
          if (configRef) expect(Object.keys(configMaps.get(configRef.name)?.data ?? {}), `${where} ${variable.name}`).toContain(configRef.key);
        }
      }
    }
  });

  it('denies traffic by default; the API reaches only Postgres, ingest only Postgres and the portal on 443', () => {
    const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
    const denyAll = policies.find((policy) => Object.keys(policy.spec.podSelector).length === 0);
    expect(denyAll?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const portsOf = (rules: any[]) => new Set(rules.flatMap((rule) => rule.ports.map((port: any) => port.port)));
    for (const rule of policies.flatMap((policy) => policy.spec.egress ?? [])) {
      // A rule without ports or without destinations would open everything.
      expect(rule.ports?.length).toBeGreaterThan(0);
      expect(rule.to?.length).toBeGreaterThan(0);
    }
    const labels = (component: string) => ({ 'app.kubernetes.io/name': 'lakefront', 'app.kubernetes.io/component': component });
    expect(portsOf(egressRulesFor(objects, labels('api')))).toEqual(new Set([53, 5432]));
    expect(portsOf(egressRulesFor(objects, labels('migrate')))).toEqual(new Set([53, 5432]));
    expect(portsOf(egressRulesFor(objects, labels('ingest')))).toEqual(new Set([53, 443, 5432]));
    // Postgres is the in-cluster StatefulSet in dev and an address range in prod; never "anywhere".
    for (const rule of egressRulesFor(objects, labels('api')).filter((rule) => portsOf([rule]).has(5432))) {
      for (const peer of rule.to) {
        if (peer.ipBlock) expect(peer.ipBlock.cidr).not.toBe('0.0.0.0/0');
        else expect(selects(peer.podSelector, DATABASE_LABELS)).toBe(true);
      }
    }
    // The API takes traffic from the ingress controller only, on its own port.
    const apiIngress = policies
      .filter((policy) => policy.spec.policyTypes.includes('Ingress') && selects(policy.spec.podSelector, API_LABELS))
      .flatMap((policy) => policy.spec.ingress ?? []);
    expect(portsOf(apiIngress)).toEqual(new Set([3000]));
  });

  it('claims persistent volumes ReadWriteOnce only', () => {
    const claims = [
      ...objects.filter((object) => object.kind === 'PersistentVolumeClaim').map((claim) => claim.spec),
      ...objects.filter((object) => object.kind === 'StatefulSet').flatMap((set) => (set.spec.volumeClaimTemplates ?? []).map((claim: any) => claim.spec)),
    ];
    for (const claim of claims) expect(claim.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('migrates with a Job that runs `migrate` as the schema owner', () => {
    const job = one(objects, 'Job', 'lakefront-migrate');
    const [container] = job.spec.template.spec.containers;
    expect(container.args).toEqual(['migrate']);
    expect(container.env.find((variable: any) => variable.name === 'DATABASE_URL').valueFrom.secretKeyRef.key).toBe('DATABASE_URL');
    expect(job.spec.backoffLimit).toBeGreaterThanOrEqual(0);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
  });
});

describe('environments', () => {
  it('dev runs Postgres as a StatefulSet on a ReadWriteOnce volume, with an exact 16.x image', () => {
    const postgres = one(overlays.dev, 'StatefulSet', 'lakefront-postgres');
    expect(postgres.spec.template.spec.containers[0].image).toMatch(/^postgres:16\.\d+(-[a-z]+)?$/);
    expect(postgres.spec.volumeClaimTemplates).toHaveLength(1);
    expect(selects(postgres.spec.selector, DATABASE_LABELS)).toBe(true);
    const secret = one(overlays.dev, 'Secret', SECRET);
    expect(new URL(secret.stringData.DATABASE_URL).hostname).toBe(one(overlays.dev, 'Service', 'lakefront-postgres').metadata.name);
  });

  it('prod keeps Postgres outside the cluster and commits no Secret; the API can read from a replica URL', () => {
    expect(overlays.prod.filter((object) => ['StatefulSet', 'Secret', 'PersistentVolumeClaim'].includes(object.kind))).toEqual([]);
    const api = one(overlays.prod, 'Deployment', 'lakefront-api').spec.template.spec.containers[0];
    const replica = api.env.find((variable: any) => variable.name === 'API_DATABASE_URL');
    expect(replica.valueFrom.secretKeyRef).toEqual({ name: SECRET, key: 'API_DATABASE_URL', optional: true });
  });

  it('documents exactly the Secret keys the workloads read', () => {
    const referenced = new Set(
      Object.values(overlays)
        .flatMap((objects) => workloads(objects).flatMap(containersOf))
        .flatMap((container) => container.env ?? [])
        .map((variable: any) => variable.valueFrom?.secretKeyRef?.key)
        .filter(Boolean),
    );
    expect([...referenced].sort()).toEqual([...documentedSecretKeys].sort());
  });
});
