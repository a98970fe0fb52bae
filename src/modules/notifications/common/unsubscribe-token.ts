import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The unsubscribe link's token: `<userId>.<HMAC-SHA256(secret, "unsubscribe:" + userId), base64url>`. Signed, not
 * stored: every mass mail carries the same link for a person, nothing to clean up, and only the server can make one.
 */
const mac = (secret: string, userId: string): Buffer =>
  createHmac('sha256', secret).update(`westwallet.notifications.unsubscribe:${userId}`).digest();

export function unsubscribeToken(secret: string, userId: string): string {
  return `${userId}.${mac(secret, userId).toString('base64url')}`;
}

/** The user id of a valid token, else null. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const userId = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(secret, userId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}
