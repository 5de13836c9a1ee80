/** Lifecycle of a StreamsApp, as in Kafka Streams. */
export type AppState = 'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'ERROR';

/** Called with the new and the previous state on every change. */
export type StateListener = (next: AppState, previous: AppState) => void;

/** Holds the state and tells listeners about each change. Only the legal transitions are allowed. */
export class AppStateMachine {
  private current: AppState = 'CREATED';
  private readonly listeners = new Set<StateListener>();

  private static readonly allowed: Record<AppState, AppState[]> = {
    CREATED: ['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'ERROR'],
    REBALANCING: ['RUNNING', 'PENDING_SHUTDOWN', 'ERROR'],
    RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
    PENDING_SHUTDOWN: ['NOT_RUNNING'],
    NOT_RUNNING: [],
    ERROR: ['PENDING_SHUTDOWN'],
  };

  get state(): AppState {
    return this.current;
  }

  onChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Moves to `next`; returns false (and changes nothing) when the transition is not allowed. */
  transition(next: AppState): boolean {
    if (!AppStateMachine.allowed[this.current].includes(next)) return false;
    const previous = this.current;
    this.current = next;
    for (const listener of this.listeners) listener(next, previous);
    return true;
  }
}
