/**
 * Renders a kustomization the way `kubectl kustomize` does, for the subset Lakefront's overlays use
 * (resources, namespace, strategic-merge patches by kind and name, images), so the manifest test runs
 * without kubectl. Where kubectl is installed, the test checks this renderer against it.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: any;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  patches?: { path: string }[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'patches', 'images']);
const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass']);

/** Every object of a (multi-document) YAML file; empty documents are skipped. */
export function readManifests(file: string): K8sObject[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  return documents.flatMap((document) => {
    if (document.errors.length) throw new Error(`${file}: ${document.errors[0]!.message}`);
    const value = document.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

export function renderKustomization(dir: string): K8sObject[] {
  const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length) throw new Error(`${dir}: kustomization fields this renderer does not know: ${unsupported.join(', ')}`);

  let objects: K8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    objects.push(...(statSync(target).isDirectory() ? renderKustomization(target) : readManifests(target)));
  }
  for (const patch of kustomization.patches ?? []) {
    if (Object.keys(patch).join() !== 'path') throw new Error(`${dir}: only file patches are supported`);
    for (const document of readManifests(path.resolve(dir, patch.path))) {
      const index = objects.findIndex((object) => object.kind === document.kind && object.metadata.name === document.metadata.name);
      if (index < 0) throw new Error(`${dir}/${patch.path}: no ${document.kind} named ${document.metadata.name} to patch`);
      objects[index] = strategicMerge(objects[index], document) as K8sObject;
    }
  }
  if (kustomization.images) objects = objects.map((object) => withImages(object, kustomization.images!));
  if (kustomization.namespace) {
    const namespace = kustomization.namespace;
    objects = objects.map((object) =>
      CLUSTER_SCOPED_KINDS.has(object.kind) ? object : { ...object, metadata: { ...object.metadata, namespace } },
    );
  }
  const seen = new Set<string>();
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata.name}`;
    if (seen.has(id)) throw new Error(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
  return objects;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isNamedList = (list: unknown[]): boolean => list.every((item) => isObject(item) && typeof item.name === 'string');

/**
 * Strategic merge as Kubernetes applies it to the fields patched here: maps merge, lists of named
 * items (containers, env, volumes) merge by name, every other list is replaced, `null` deletes.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (isObject(target) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = key in target ? strategicMerge(target[key], value) : structuredClone(value);
    }
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch) && target.length && isNamedList(target) && isNamedList(patch)) {
    const merged = [...target] as Record<string, unknown>[];
    for (const item of patch as Record<string, unknown>[]) {
      const index = merged.findIndex((existing) => existing.name === item.name);
      if (index < 0) merged.push(structuredClone(item));
      else merged[index] = strategicMerge(merged[index], item) as Record<string, unknown>;
    }
    return merged;
  }
  return structuredClone(patch);
}

function withImages(object: K8sObject, images: NonNullable<Kustomization['images']>): K8sObject {
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!isObject(value)) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) copy[key] = rewrite(child);
    // A container: the only place an `image` string sits beside a `name`.
    if (typeof copy.image === 'string' && typeof copy.name === 'string') {
      const { name, tag } = splitImage(copy.image);
      const rule = images.find((image) => image.name === name);
      const newTag = rule?.newTag ?? tag;
      const suffix = !newTag ? '' : newTag.startsWith('@') ? newTag : `:${newTag}`;
      if (rule) copy.image = `${rule.newName ?? name}${suffix}`;
    }
    return copy;
  };
  return rewrite(object) as K8sObject;
}

/** `registry/name:tag` → parts; a digest (`@sha256:…`) counts as the tag. */
export function splitImage(image: string): { name: string; tag: string | undefined } {
  const at = image.indexOf('@');
  if (at >= 0) return { name: image.slice(0, at), tag: image.slice(at) };
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { name: image, tag: undefined };
}
