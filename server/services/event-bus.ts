import type { ServerEvent } from '../../shared/api/events';

/** Live events for every open tab: runs and the connection. Subscribers never block a run. */
export class EventBus {
  private readonly listeners = new Set<(event: ServerEvent) => void>();

  subscribe(listener: (event: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: ServerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (a closed socket) must not stop the others or the run.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
