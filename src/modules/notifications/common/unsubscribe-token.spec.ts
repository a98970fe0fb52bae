import { unsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';

describe('unsubscribe token', () => {
  const secret = 'x'.repeat(40);

  it('round-trips to the user id', () => {
    expect(verifyUnsubscribeToken(secret, unsubscribeToken(secret, 'A000123'))).toBe('A000123');
  });

  it('refuses another user, another secret, garbage', () => {
    const token = unsubscribeToken(secret, 'A000123');
    const forged = `A000124.${token.split('.')[1]}`;
    expect(verifyUnsubscribeToken(secret, forged)).toBeNull();
    expect(verifyUnsubscribeToken('y'.repeat(40), token)).toBeNull();
    expect(verifyUnsubscribeToken(secret, 'nonsense')).toBeNull();
    expect(verifyUnsubscribeToken(secret, '.abc')).toBeNull();
    expect(verifyUnsubscribeToken(secret, `${token}x`)).toBeNull();
  });
});
