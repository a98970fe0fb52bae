import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', 12);
    expect(hash).toMatch(/^\$2[aby]\$12\$/);
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
  });

  it('counts characters past bcrypt’s 72-byte limit', async () => {
    const base = 'x'.repeat(100);
    const hash = await hashPassword(`${base}A`, 12);
    await expect(verifyPassword(`${base}B`, hash)).resolves.toBe(false);
    await expect(verifyPassword(`${base}A`, hash)).resolves.toBe(true);
  });
});
