/**
 * The mass mail's throttle: slices of about a second (longer for slow rates), `size` mails each, the next slice
 * `ms` later, never more than `perMinute` in a minute (60/min: one a second; 600/min: ten a second; 6/min: one
 * every ten seconds).
 */
export function sliceOf(perMinute: number): { ms: number; size: number } {
  const size = Math.max(1, Math.floor(perMinute / 60));
  return { ms: Math.ceil((60_000 * size) / perMinute), size };
}
