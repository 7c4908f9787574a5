/*
 * How long the page takes to show a view: from navigation (or the interaction that changed the
 * URL) until every panel's request has settled and the next frame is painted. The figures are
 * exposed on `window.__explorerTimings` for the browser test, and `data-status` on <html> says
 * whether the page is still loading.
 */

export interface Timing {
  label: string;
  ms: number;
}

declare global {
  interface Window {
    __explorerTimings?: Timing[];
  }
}

let pending = 0;
let label = 'first render';
let startedAt = 0;
let quiet: ReturnType<typeof setTimeout> | undefined;

/**
 * A view is settled once no request has been in flight for this long: a panel may start a request
 * only after another's answer is drawn (the map's points wait for the row count).
 */
const QUIET_MS = 120;

function setStatus(status: 'loading' | 'ready'): void {
  document.documentElement.dataset.status = status;
}

/** An interaction changed the view: time from now until it has settled. */
export function interactionStarted(name: string): void {
  label = name;
  startedAt = performance.now();
  setStatus('loading');
  // A change that needs no request settles once effects have run.
  waitForQuiet(startedAt);
}

/** Counts a panel's request until it settles, successfully or not. */
export function track<T>(promise: Promise<T>): Promise<T> {
  // A load that no interaction started (a panel scrolled into view) is timed on its own.
  if (document.documentElement.dataset.status === 'ready') {
    label = 'scrolled into view';
    startedAt = performance.now();
  }
  pending += 1;
  clearTimeout(quiet);
  setStatus('loading');
  const done = () => {
    pending -= 1;
    // The figure is the first frame after the last answer; "ready" waits for the quiet period.
    if (pending === 0) requestAnimationFrame(() => pending === 0 && waitForQuiet(performance.now()));
  };
  promise.then(done, done);
  return promise;
}

function waitForQuiet(paintedAt: number): void {
  clearTimeout(quiet);
  quiet = setTimeout(() => {
    if (pending > 0 || document.documentElement.dataset.status === 'ready') return;
    (window.__explorerTimings ??= []).push({ label, ms: Math.round(paintedAt - startedAt) });
    setStatus('ready');
  }, QUIET_MS);
}
