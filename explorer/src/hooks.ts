import { useLayoutEffect, useState, type MutableRef } from 'preact/hooks';
import { track } from './timing.js';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes, aborting the previous run; the answer of a stale run is
 * never shown. `key` is a string so that equal views do not refetch. Timed loads count towards
 * the page's "ready" (see timing.ts).
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, options: { timed?: boolean } = {}): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: key !== null });
  // A layout effect starts the request in the same task as the render; a plain effect waits for
  // the next frame (up to 100 ms in a background tab).
  useLayoutEffect(() => {
    if (key === null) {
      setState({ data: undefined, error: undefined, loading: false });
      return undefined;
    }
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, error: undefined, loading: true }));
    const settled = load(controller.signal).then(
        (data) => {
          if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ data: undefined, error: error instanceof Error ? error : new Error(String(error)), loading: false });
        },
    );
    if (options.timed ?? true) track(settled);
    return () => controller.abort();
    // `key` stands for everything `load` reads.
  }, [key]);
  return state;
}

/**
 * Whether the element is on screen (or within `margin` pixels of it), following scrolls and
 * resizes: a panel below the fold need not ask for its data until it is about to be seen. Measured
 * at once on mount (the observer's first answer comes a frame later); true where the browser has
 * no IntersectionObserver.
 */
export function useNearView(ref: MutableRef<Element | null>, margin = 50): boolean {
  const [near, setNear] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return undefined;
    }
    const box = element.getBoundingClientRect();
    setNear(box.bottom > -margin && box.top < innerHeight + margin && box.right > -margin && box.left < innerWidth + margin);
    const observer = new IntersectionObserver((entries) => setNear(entries.some((entry) => entry.isIntersecting)), { rootMargin: `${margin}px` });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return near;
}
