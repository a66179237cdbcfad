/**
 * Work that must not stand between a gesture and the frame that shows it (issue #19): the containers growing to
 * their members again, the side panel's forms, the edges' routes. React's useDeferredValue does not keep that
 * promise: its render is queued as a scheduler task, which the browser runs before the next animation frame when
 * the frame is not due yet, and a component's render is never cut in two, so a deferred Designer render that
 * computes the containers' geometry delays the very frame that answers the gesture. `useAfterPaint` hands its
 * value on only after the next frame is painted (a task queued from the frame's requestAnimationFrame callback,
 * which runs after that frame's paint), as a transition, so that a new gesture still interrupts it.
 *
 * requestAnimationFrame: https://developer.mozilla.org/en-US/docs/Web/API/Window/requestAnimationFrame
 * startTransition: https://react.dev/reference/react/startTransition
 */
import { startTransition, useEffect, useState } from 'react';

/** Runs `task` after the next frame is painted; returns a function that cancels it if it did not run yet. */
export function afterNextPaint(task: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(task, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * `value` as it was when the last frame was painted: the same as `value` once a frame has been painted since it
 * changed. The first value is handed on at once (there is no earlier drawing to keep).
 */
export function useAfterPaint<T>(value: T): T {
  const [late, setLate] = useState(value);
  useEffect(() => {
    if (Object.is(late, value)) return;
    return afterNextPaint(() => startTransition(() => setLate(() => value)));
  }, [value, late]);
  return late;
}
