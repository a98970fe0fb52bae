import { createUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers, verifies through real mail, signs in and reads /me', async () => {
    const user = await createUser(t);
    const me = await t.http.get('/api/v1/me').set(user.auth).expect(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email, emailVerified: true, role: 'user' });
    expect(me.body.organizations).toEqual([
      expect.objectContaining({ id: user.organizationId, type: 'household', role: 'owner' }),
    ]);
  });
});
