/** Greenfield's times: whole unix seconds. */
export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);
