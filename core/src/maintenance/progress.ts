/** Counts reported while a maintenance run progresses and when it ends. */
export type ProgressCallback<T> = (progress: T) => void;
