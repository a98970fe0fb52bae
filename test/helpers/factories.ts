import { randomBytes } from 'node:crypto';
import { MailCatcher } from './mail-catcher';
import type { TestApp } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  organizationId: string;
  accessToken: string;
  refreshToken: string;
  /** `{ Authorization: 'Bearer …' }` */
  auth: Record<string, string>;
}

export const uniqueEmail = (label = 'user'): string =>
  `${label}-${randomBytes(4).toString('hex')}@example.se`;

/** Registers through the API, verifies with the token from the real mail (setting the password there), signs in. */
export async function createUser(
  t: TestApp,
  options: { email?: string; password?: string; name?: string } = {},
): Promise<TestUser> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const name = options.name ?? 'Test Testsson';
  const registered = await t.http.post('/api/v1/auth/register').send({ email, password, name }).expect(201);
  const mail = await t.mail.waitFor(email, /Bekräfta|Confirm/);
  await t.http
    .post('/api/v1/auth/verify-email')
    .send({ token: MailCatcher.token(mail), password })
    .expect(200);
  const tokens = await login(t, email, password);
  return {
    id: registered.body.id,
    email,
    password,
    name,
    organizationId: registered.body.defaultOrganizationId,
    ...tokens,
  };
}

export async function login(t: TestApp, email: string, password: string) {
  const res = await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  const accessToken: string = res.body.accessToken;
  return {
    accessToken,
    refreshToken: res.body.refreshToken as string,
    auth: { Authorization: `Bearer ${accessToken}` },
  };
}

/** A platform admin: ADMIN_EMAILS in the test config lists admin@westwallet.test. */
export function createAdmin(t: TestApp): Promise<TestUser> {
  return createUser(t, { email: t.config.auth.adminEmails[0], name: 'Admin Adminsson' });
}
