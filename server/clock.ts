/** Time is injected everywhere so tests and the planner never depend on the wall clock. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
