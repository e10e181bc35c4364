/**
 * What the pages currently on screen contribute (palette actions, shortcuts), keyed by the contributing component.
 * An external store: the palette and the key listener read it with useSyncExternalStore or at key-press time,
 * and a contribution changing never re-renders the page that made it.
 */
export class Contributions<T> {
  private readonly byKey = new Map<string, readonly T[]>();
  private readonly listeners = new Set<() => void>();
  private snapshot: readonly T[] = [];

  set(key: string, items: readonly T[]): void {
    this.byKey.set(key, items);
    this.changed();
  }

  delete(key: string): void {
    if (this.byKey.delete(key)) this.changed();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Every contribution, in the order the contributors registered. */
  readonly getSnapshot = (): readonly T[] => this.snapshot;

  private changed() {
    this.snapshot = [...this.byKey.values()].flat();
    for (const listener of this.listeners) listener();
  }
}
