import { useLayoutEffect, useRef, useState, type MutableRef } from 'preact/hooks';
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
 * resizes. Measured at once when the element appears (the observer's first answer comes a frame
 * later); true where the browser has no IntersectionObserver.
 */
export function useNearView(ref: MutableRef<Element | null>, margin = 50): boolean {
  const [near, setNear] = useState(false);
  const watched = useRef<{ element: Element | null; observer?: IntersectionObserver }>({ element: null });
  // After every render: the element may come and go (a panel that renders nothing for some datasets).
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === watched.current.element) return;
    watched.current.observer?.disconnect();
    watched.current = { element };
    if (!element) return;
    if (typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return;
    }
    const box = element.getBoundingClientRect();
    setNear(box.bottom > -margin && box.top < innerHeight + margin && box.right > -margin && box.left < innerWidth + margin);
    const observer = new IntersectionObserver((entries) => setNear(entries.some((entry) => entry.isIntersecting)), { rootMargin: `${margin}px` });
    observer.observe(element);
    watched.current.observer = observer;
  });
  useLayoutEffect(() => () => watched.current.observer?.disconnect(), []);
  return near;
}

/**
 * The key a panel loads by (see `useLoad`): the one it wants once the panel is near the screen;
 * until then the one it last loaded, so that a panel below the fold asks nothing (at scale a count
 * under a filter may read the table) and keeps what it last showed, with no jump in the page.
 * `always` loads wherever the panel is.
 */
export function useKeyWhenNear(ref: MutableRef<Element | null>, wanted: string | null, always = false): string | null {
  const near = useNearView(ref);
  const asked = useRef<string | null>(null);
  if (near || always || wanted === null) asked.current = wanted;
  return asked.current;
}
