import type { Response } from 'supertest';
import { createAdmin, createUser, uniqueEmail, type TestUser } from './helpers/factories';
import { MailCatcher } from './helpers/mail-catcher';
import { startTestApp, type TestApp } from './helpers/test-app';

const INVITATION_SUBJECT = /bjuder in dig|invites you/;

/** An error body without the per-request part, for "indistinguishable from a missing record" comparisons. */
function withoutRequestId(res: Response): Record<string, unknown> {
  const { requestId, ...rest } = res.body as Record<string, unknown>;
  expect(typeof requestId).toBe('string');
  return rest;
}

describe('organizations', () => {
  let t: TestApp;
  /** Owner of `orgId` (created in the first test). */
  let owner: TestUser;
  /** Joins `orgId` by invitation as member, later promoted to admin. */
  let invitee: TestUser;
  /** Signed in under another address: the invitation is not theirs. Later invited as viewer. */
  let stranger: TestUser;
  /** Joins `orgId` as member, leaves on their own. */
  let leaver: TestUser;
  let orgId: string;

  const api = (path: string) => `/api/v1${path}`;

  async function invite(by: TestUser, email: string, role: string): Promise<string> {
    const res = await t.http
      .post(api(`/organizations/${orgId}/invitations`))
      .set(by.auth)
      .send({ email, role })
      .expect(201);
    expect(res.body).toMatchObject({ id: expect.any(String), email, role });
    const mail = await t.mail.waitFor(email, INVITATION_SUBJECT);
    return MailCatcher.token(mail);
  }

  async function membersOf(
    id: string,
    as: TestUser,
  ): Promise<Array<{ userId: string; role: string; email: string }>> {
    const res = await t.http
      .get(api(`/organizations/${id}/members`))
      .set(as.auth)
      .expect(200);
    return res.body as Array<{ userId: string; role: string; email: string }>;
  }

  beforeAll(async () => {
    t = await startTestApp();
    [owner, invitee, stranger, leaver] = await Promise.all([
      createUser(t, { name: 'Ägare Ägarsson' }),
      createUser(t, { name: 'Inbjuden Person' }),
      createUser(t, { name: 'Främling' }),
      createUser(t, { name: 'Lämnare' }),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('create and read', () => {
    it('POST /organizations creates an organization whose creator is its only owner', async () => {
      const res = await t.http
        .post(api('/organizations'))
        .set(owner.auth)
        .send({ name: 'Föreningen Båtklubben', type: 'association' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[A-Z]{1,3}\d{6,}$/),
        name: 'Föreningen Båtklubben',
        type: 'association',
        role: 'owner',
        createdAt: expect.any(String),
      });
      orgId = res.body.id;
      expect(orgId).not.toBe(owner.organizationId);

      const members = await membersOf(orgId, owner);
      expect(members).toEqual([
        expect.objectContaining({ userId: owner.id, email: owner.email, name: owner.name, role: 'owner' }),
      ]);
    });

    it.each(['household', 'family', 'association', 'company'])('accepts type %s', async (type) => {
      const res = await t.http
        .post(api('/organizations'))
        .set(stranger.auth)
        .send({ name: `Typ ${type}`, type })
        .expect(201);
      expect(res.body).toMatchObject({ type, role: 'owner', name: `Typ ${type}` });
    });

    it('refuses an unknown type, a missing name and an unknown field with 400', async () => {
      const unknownType = await t.http
        .post(api('/organizations'))
        .set(owner.auth)
        .send({ name: 'Sekten', type: 'cult' })
        .expect(400);
      expect(unknownType.body.code).toBe('VALIDATION_FAILED');

      const noName = await t.http
        .post(api('/organizations'))
        .set(owner.auth)
        .send({ type: 'family' })
        .expect(400);
      expect(noName.body.code).toBe('VALIDATION_FAILED');

      const extra = await t.http
        .post(api('/organizations'))
        .set(owner.auth)
        .send({ name: 'X', type: 'family', ownerId: stranger.id })
        .expect(400);
      expect(extra.body.code).toBe('VALIDATION_FAILED');
      expect(extra.body.message).toContain('ownerId');

      // none of the refused requests created anything
      const list = await t.http.get(api('/organizations')).set(owner.auth).expect(200);
      expect(list.body.map((o: { name: string }) => o.name)).not.toEqual(expect.arrayContaining(['Sekten']));
      expect(list.body).toHaveLength(2);
    });

    it('GET /organizations lists only your own organizations, with your role in each', async () => {
      const mine = await t.http.get(api('/organizations')).set(owner.auth).expect(200);
      expect(mine.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: owner.organizationId, type: 'household', role: 'owner' }),
          expect.objectContaining({ id: orgId, type: 'association', role: 'owner' }),
        ]),
      );
      expect(mine.body).toHaveLength(2);

      const theirs = await t.http.get(api('/organizations')).set(stranger.auth).expect(200);
      const theirIds = theirs.body.map((o: { id: string }) => o.id);
      expect(theirIds).not.toContain(orgId);
      expect(theirIds).not.toContain(owner.organizationId);
      expect(theirs.body).toHaveLength(5); // household + the four created above
    });

    it('GET /organizations/:id returns the organization to its owner', async () => {
      const res = await t.http
        .get(api(`/organizations/${orgId}`))
        .set(owner.auth)
        .expect(200);
      expect(res.body).toMatchObject({
        id: orgId,
        name: 'Föreningen Båtklubben',
        type: 'association',
        role: 'owner',
      });
    });

    it('requires authentication', async () => {
      const res = await t.http.get(api(`/organizations/${orgId}`)).expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('invitations', () => {
    let inviteeToken: string;

    it('the owner invites an email address as member: a mail with a token arrives', async () => {
      inviteeToken = await invite(owner, invitee.email, 'member');
      expect(inviteeToken.length).toBeGreaterThanOrEqual(10);
      const mail = await t.mail.waitFor(invitee.email, INVITATION_SUBJECT);
      expect(mail.text).toContain('Föreningen Båtklubben');
      expect(mail.text).toContain(inviteeToken);
    });

    it('someone signed in under another address gets 403 INVITATION_EMAIL_MISMATCH and does not join', async () => {
      const res = await t.http
        .post(api('/invitations/accept'))
        .set(stranger.auth)
        .send({ token: inviteeToken })
        .expect(403);
      expect(res.body.code).toBe('INVITATION_EMAIL_MISMATCH');
      const members = await membersOf(orgId, owner);
      expect(members.map((m) => m.userId)).not.toContain(stranger.id);
      await t.http
        .get(api(`/organizations/${orgId}`))
        .set(stranger.auth)
        .expect(404);
    });

    it('the invited user accepts (the token survived the mismatch) and joins with the invited role', async () => {
      const res = await t.http
        .post(api('/invitations/accept'))
        .set(invitee.auth)
        .send({ token: inviteeToken })
        .expect(200);
      expect(res.body).toMatchObject({ id: orgId, name: 'Föreningen Båtklubben', role: 'member' });

      const members = await membersOf(orgId, owner);
      expect(members).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ userId: invitee.id, email: invitee.email, role: 'member' }),
        ]),
      );
      expect(members).toHaveLength(2);

      const list = await t.http.get(api('/organizations')).set(invitee.auth).expect(200);
      expect(list.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: orgId, role: 'member' })]),
      );
    });

    it('a second accept of the same token is 400 INVITATION_INVALID', async () => {
      const res = await t.http
        .post(api('/invitations/accept'))
        .set(invitee.auth)
        .send({ token: inviteeToken })
        .expect(400);
      expect(res.body.code).toBe('INVITATION_INVALID');
    });

    it('an unknown token is 400 INVITATION_INVALID', async () => {
      const res = await t.http
        .post(api('/invitations/accept'))
        .set(stranger.auth)
        .send({ token: 'x'.repeat(40) })
        .expect(400);
      expect(res.body.code).toBe('INVITATION_INVALID');
    });

    it('inviting someone who already is a member is 409 ALREADY_MEMBER', async () => {
      const before = t.mail.messages.length;
      const res = await t.http
        .post(api(`/organizations/${orgId}/invitations`))
        .set(owner.auth)
        .send({ email: invitee.email, role: 'admin' })
        .expect(409);
      expect(res.body.code).toBe('ALREADY_MEMBER');
      // the email is matched case-insensitively
      const upper = await t.http
        .post(api(`/organizations/${orgId}/invitations`))
        .set(owner.auth)
        .send({ email: invitee.email.toUpperCase(), role: 'member' })
        .expect(409);
      expect(upper.body.code).toBe('ALREADY_MEMBER');
      await new Promise((r) => setTimeout(r, 300));
      expect(t.mail.messages.slice(before).filter((m) => m.to.includes(invitee.email))).toHaveLength(0);
    });

    it('refuses an invitation with an invalid email or role with 400', async () => {
      const badEmail = await t.http
        .post(api(`/organizations/${orgId}/invitations`))
        .set(owner.auth)
        .send({ email: 'not-an-email', role: 'member' })
        .expect(400);
      expect(badEmail.body.code).toBe('VALIDATION_FAILED');
      const badRole = await t.http
        .post(api(`/organizations/${orgId}/invitations`))
        .set(owner.auth)
        .send({ email: stranger.email, role: 'emperor' })
        .expect(400);
      expect(badRole.body.code).toBe('VALIDATION_FAILED');
    });

    it('the other users join too: the stranger as viewer, the leaver as member', async () => {
      const strangerToken = await invite(owner, stranger.email, 'viewer');
      await t.http
        .post(api('/invitations/accept'))
        .set(stranger.auth)
        .send({ token: strangerToken })
        .expect(200);
      const leaverToken = await invite(owner, leaver.email, 'member');
      await t.http.post(api('/invitations/accept')).set(leaver.auth).send({ token: leaverToken }).expect(200);

      const roles = Object.fromEntries((await membersOf(orgId, owner)).map((m) => [m.userId, m.role]));
      expect(roles).toEqual({
        [owner.id]: 'owner',
        [invitee.id]: 'member',
        [stranger.id]: 'viewer',
        [leaver.id]: 'member',
      });
    });

    it('a member or viewer cannot invite (403 INSUFFICIENT_ORG_ROLE)', async () => {
      for (const user of [invitee, stranger]) {
        const res = await t.http
          .post(api(`/organizations/${orgId}/invitations`))
          .set(user.auth)
          .send({ email: 'someone@example.se', role: 'viewer' })
          .expect(403);
        expect(res.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      }
    });
  });

  describe('roles', () => {
    it('members and viewers can read the organization and its members', async () => {
      for (const [user, role] of [
        [invitee, 'member'],
        [stranger, 'viewer'],
      ] as const) {
        const res = await t.http
          .get(api(`/organizations/${orgId}`))
          .set(user.auth)
          .expect(200);
        expect(res.body).toMatchObject({ id: orgId, role });
        const members = await membersOf(orgId, user);
        expect(members).toHaveLength(4);
      }
    });

    it('members and viewers cannot PATCH the organization (403 INSUFFICIENT_ORG_ROLE)', async () => {
      for (const user of [invitee, stranger]) {
        const res = await t.http
          .patch(api(`/organizations/${orgId}`))
          .set(user.auth)
          .send({ name: 'Kapad' })
          .expect(403);
        expect(res.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      }
      const org = await t.http
        .get(api(`/organizations/${orgId}`))
        .set(owner.auth)
        .expect(200);
      expect(org.body.name).toBe('Föreningen Båtklubben');
    });

    it('a member cannot change roles (403 INSUFFICIENT_ORG_ROLE)', async () => {
      const res = await t.http
        .patch(api(`/organizations/${orgId}/members/${invitee.id}`))
        .set(invitee.auth)
        .send({ role: 'admin' })
        .expect(403);
      expect(res.body.code).toBe('INSUFFICIENT_ORG_ROLE');
    });

    it('the owner promotes a member to admin', async () => {
      const res = await t.http
        .patch(api(`/organizations/${orgId}/members/${invitee.id}`))
        .set(owner.auth)
        .send({ role: 'admin' })
        .expect(200);
      expect(res.body).toMatchObject({ userId: invitee.id, role: 'admin' });
      const members = await membersOf(orgId, owner);
      expect(members.find((m) => m.userId === invitee.id)?.role).toBe('admin');
    });

    it('an admin can PATCH the organization', async () => {
      const res = await t.http
        .patch(api(`/organizations/${orgId}`))
        .set(invitee.auth)
        .send({ name: 'Båtklubben Nya', type: 'company' })
        .expect(200);
      expect(res.body).toMatchObject({ id: orgId, name: 'Båtklubben Nya', type: 'company', role: 'admin' });
      const seen = await t.http
        .get(api(`/organizations/${orgId}`))
        .set(owner.auth)
        .expect(200);
      expect(seen.body).toMatchObject({ name: 'Båtklubben Nya', type: 'company', role: 'owner' });
    });

    it('PATCH refuses an empty change, an unknown type and an unknown field with 400', async () => {
      for (const body of [{}, { type: 'cult' }, { name: 'Ok', plan: 'pro' }]) {
        const res = await t.http
          .patch(api(`/organizations/${orgId}`))
          .set(owner.auth)
          .send(body)
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('an admin cannot make anyone owner, nor touch an owner (403)', async () => {
      const promote = await t.http
        .patch(api(`/organizations/${orgId}/members/${stranger.id}`))
        .set(invitee.auth)
        .send({ role: 'owner' })
        .expect(403);
      expect(promote.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      const self = await t.http
        .patch(api(`/organizations/${orgId}/members/${invitee.id}`))
        .set(invitee.auth)
        .send({ role: 'owner' })
        .expect(403);
      expect(self.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      const demoteOwner = await t.http
        .patch(api(`/organizations/${orgId}/members/${owner.id}`))
        .set(invitee.auth)
        .send({ role: 'member' })
        .expect(403);
      expect(demoteOwner.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      const removeOwner = await t.http
        .delete(api(`/organizations/${orgId}/members/${owner.id}`))
        .set(invitee.auth)
        .expect(403);
      expect(removeOwner.body.code).toBe('INSUFFICIENT_ORG_ROLE');

      const roles = Object.fromEntries((await membersOf(orgId, owner)).map((m) => [m.userId, m.role]));
      expect(roles).toMatchObject({ [owner.id]: 'owner', [invitee.id]: 'admin', [stranger.id]: 'viewer' });
    });

    it('an admin cannot invite an owner (403) but can change a viewer to member', async () => {
      const inviteOwner = await t.http
        .post(api(`/organizations/${orgId}/invitations`))
        .set(invitee.auth)
        .send({ email: 'boss@example.se', role: 'owner' })
        .expect(403);
      expect(inviteOwner.body.code).toBe('INSUFFICIENT_ORG_ROLE');

      const res = await t.http
        .patch(api(`/organizations/${orgId}/members/${stranger.id}`))
        .set(invitee.auth)
        .send({ role: 'member' })
        .expect(200);
      expect(res.body).toMatchObject({ userId: stranger.id, role: 'member' });
      await t.http
        .patch(api(`/organizations/${orgId}/members/${stranger.id}`))
        .set(invitee.auth)
        .send({ role: 'viewer' })
        .expect(200);
    });

    it('the last owner can neither be demoted nor removed (409 LAST_OWNER)', async () => {
      const demote = await t.http
        .patch(api(`/organizations/${orgId}/members/${owner.id}`))
        .set(owner.auth)
        .send({ role: 'admin' })
        .expect(409);
      expect(demote.body.code).toBe('LAST_OWNER');
      const leave = await t.http
        .delete(api(`/organizations/${orgId}/members/${owner.id}`))
        .set(owner.auth)
        .expect(409);
      expect(leave.body.code).toBe('LAST_OWNER');
      const members = await membersOf(orgId, owner);
      expect(members.find((m) => m.userId === owner.id)?.role).toBe('owner');
    });

    it('with a second owner, the first one may step down', async () => {
      await t.http
        .patch(api(`/organizations/${orgId}/members/${invitee.id}`))
        .set(owner.auth)
        .send({ role: 'owner' })
        .expect(200);
      const demoted = await t.http
        .patch(api(`/organizations/${orgId}/members/${owner.id}`))
        .set(invitee.auth)
        .send({ role: 'admin' })
        .expect(200);
      expect(demoted.body).toMatchObject({ userId: owner.id, role: 'admin' });
      // and back: the test below relies on `owner` being an owner again
      await t.http
        .patch(api(`/organizations/${orgId}/members/${owner.id}`))
        .set(invitee.auth)
        .send({ role: 'owner' })
        .expect(200);
      await t.http
        .patch(api(`/organizations/${orgId}/members/${invitee.id}`))
        .set(owner.auth)
        .send({ role: 'admin' })
        .expect(200);
      const roles = Object.fromEntries((await membersOf(orgId, owner)).map((m) => [m.userId, m.role]));
      expect(roles).toMatchObject({ [owner.id]: 'owner', [invitee.id]: 'admin' });
    });

    it('changing the role of someone who is not a member is 404 NOT_FOUND (member)', async () => {
      // the stranger owns their household; the owner of orgId is no member of it
      const res = await t.http
        .patch(api(`/organizations/${stranger.organizationId}/members/${owner.id}`))
        .set(stranger.auth)
        .send({ role: 'member' })
        .expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'member' } });
    });
  });

  describe('leaving and removal', () => {
    it('a member cannot remove another member (403)', async () => {
      const res = await t.http
        .delete(api(`/organizations/${orgId}/members/${stranger.id}`))
        .set(leaver.auth)
        .expect(403);
      expect(res.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      const members = await membersOf(orgId, owner);
      expect(members.map((m) => m.userId)).toContain(stranger.id);
    });

    it('a member leaves by deleting their own membership (204) and then gets 404 for the organization', async () => {
      const res = await t.http
        .delete(api(`/organizations/${orgId}/members/${leaver.id}`))
        .set(leaver.auth)
        .expect(204);
      expect(res.text).toBe('');
      const members = await membersOf(orgId, owner);
      expect(members.map((m) => m.userId)).not.toContain(leaver.id);

      const get = await t.http
        .get(api(`/organizations/${orgId}`))
        .set(leaver.auth)
        .expect(404);
      expect(get.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'organization' } });
      const list = await t.http.get(api('/organizations')).set(leaver.auth).expect(200);
      expect(list.body.map((o: { id: string }) => o.id)).not.toContain(orgId);
    });

    it('the owner removes a viewer (204); afterwards the viewer gets 404 for the organization', async () => {
      await t.http
        .get(api(`/organizations/${orgId}`))
        .set(stranger.auth)
        .expect(200);
      await t.http
        .delete(api(`/organizations/${orgId}/members/${stranger.id}`))
        .set(owner.auth)
        .expect(204);
      const get = await t.http
        .get(api(`/organizations/${orgId}`))
        .set(stranger.auth)
        .expect(404);
      expect(get.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'organization' } });
      const members = await t.http
        .get(api(`/organizations/${orgId}/members`))
        .set(stranger.auth)
        .expect(404);
      expect(members.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'organization' } });
    });

    it('removing someone who is no longer a member is 404', async () => {
      const res = await t.http
        .delete(api(`/organizations/${orgId}/members/${stranger.id}`))
        .set(owner.auth)
        .expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'member' } });
    });
  });

  describe('another organization is indistinguishable from a missing one', () => {
    // `stranger` was removed above and is no member of `orgId` any more; `leaver` left it.
    const missing = () => `${t.config.globalIdPrefix}999999`;

    type Call = [label: string, send: (id: string, as: TestUser) => Promise<Response>];
    const calls: Call[] = [
      ['GET /organizations/:id', (id, as) => t.http.get(api(`/organizations/${id}`)).set(as.auth)],
      [
        'PATCH /organizations/:id',
        (id, as) =>
          t.http
            .patch(api(`/organizations/${id}`))
            .set(as.auth)
            .send({ name: 'Mine now' }),
      ],
      [
        'GET /organizations/:id/members',
        (id, as) => t.http.get(api(`/organizations/${id}/members`)).set(as.auth),
      ],
      [
        'POST /organizations/:id/invitations',
        (id, as) =>
          t.http
            .post(api(`/organizations/${id}/invitations`))
            .set(as.auth)
            .send({ email: as.email.replace('@', '+x@'), role: 'owner' }),
      ],
      [
        'PATCH /organizations/:id/members/:userId',
        (id, as) =>
          t.http
            .patch(api(`/organizations/${id}/members/${as.id}`))
            .set(as.auth)
            .send({ role: 'owner' }),
      ],
      [
        'DELETE /organizations/:id/members/:userId',
        (id, as) => t.http.delete(api(`/organizations/${id}/members/${owner.id}`)).set(as.auth),
      ],
    ];

    it.each(calls)('%s: 404 with the same body as for a non-existent id', async (_label, send) => {
      const foreign = await send(orgId, stranger);
      const nonexistent = await send(missing(), stranger);
      expect(foreign.status).toBe(404);
      expect(nonexistent.status).toBe(404);
      expect(withoutRequestId(foreign)).toEqual(withoutRequestId(nonexistent));
      expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'organization' } });
      expect(foreign.body.requestId).not.toBe(nonexistent.body.requestId);
    });

    it('an id of the wrong shape is a 404 too', async () => {
      for (const id of ['nope', 'A1', `${orgId}x`, '../me']) {
        const res = await t.http
          .get(api(`/organizations/${encodeURIComponent(id)}`))
          .set(stranger.auth)
          .expect(404);
        expect(res.body.code).toMatch(/NOT_FOUND$/);
      }
    });

    it('nothing was changed by the refused requests', async () => {
      const org = await t.http
        .get(api(`/organizations/${orgId}`))
        .set(owner.auth)
        .expect(200);
      expect(org.body.name).toBe('Båtklubben Nya');
      const roles = Object.fromEntries((await membersOf(orgId, owner)).map((m) => [m.userId, m.role]));
      expect(roles).toEqual({ [owner.id]: 'owner', [invitee.id]: 'admin' });
    });
  });

  describe('X-Organization-Id selects the active organization', () => {
    it('a header naming an organization you are not in is 404 with the same body as a missing one', async () => {
      const foreign = await t.http
        .get(api('/audit'))
        .set(stranger.auth)
        .set('X-Organization-Id', orgId)
        .expect(404);
      const nonexistent = await t.http
        .get(api('/audit'))
        .set(stranger.auth)
        .set('X-Organization-Id', `${t.config.globalIdPrefix}999999`)
        .expect(404);
      expect(withoutRequestId(foreign)).toEqual(withoutRequestId(nonexistent));
      expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'organization' } });
      const malformed = await t.http
        .get(api('/audit'))
        .set(stranger.auth)
        .set('X-Organization-Id', 'garbage')
        .expect(404);
      expect(withoutRequestId(malformed)).toEqual(withoutRequestId(nonexistent));
    });

    it('a header naming your own organization selects it', async () => {
      const res = await t.http.get(api('/audit')).set(owner.auth).set('X-Organization-Id', orgId).expect(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const entry of res.body.items) expect(entry.organizationId).toBe(orgId);
      expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining([
          'organization.created',
          'invitation.created',
          'invitation.accepted',
          'member.removed',
        ]),
      );
    });

    it("without the header, the user's own household is used", async () => {
      const res = await t.http.get(api('/audit')).set(owner.auth).expect(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      for (const entry of res.body.items) expect(entry.organizationId).toBe(owner.organizationId);
      expect(res.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'organization.created', targetId: owner.organizationId }),
        ]),
      );
    });

    it('the role in the selected organization applies (an admin-only route refuses a member)', async () => {
      // GET /audit needs admin in the selected organization: invitee is admin there, then is demoted to member.
      await t.http.get(api('/audit')).set(invitee.auth).set('X-Organization-Id', orgId).expect(200);
      await t.http
        .patch(api(`/organizations/${orgId}/members/${invitee.id}`))
        .set(owner.auth)
        .send({ role: 'member' })
        .expect(200);
      const res = await t.http
        .get(api('/audit'))
        .set(invitee.auth)
        .set('X-Organization-Id', orgId)
        .expect(403);
      expect(res.body.code).toBe('INSUFFICIENT_ORG_ROLE');
    });
  });
  describe('listing and revoking invitations; an inviter who lost the right to invite', () => {
    /** Owner of `clubId`. */
    let chair: TestUser;
    /** Admin of `clubId`: sends invitations, is later demoted, promoted again and finally removed. */
    let secretary: TestUser;
    /** A member of `clubId`: may not list or revoke. */
    let rower: TestUser;
    /** Owner of another organization (their household). */
    let outsider: TestUser;
    /** Receive the invitations. */
    let guests: TestUser[];
    let clubId: string;

    type InvitationItem = {
      id: string;
      email: string;
      role: string;
      status: string;
      invitedBy: { userId: string; name: string | null };
    };

    async function inviteTo(organizationId: string, by: TestUser, email: string, role: string) {
      const res = await t.http
        .post(api(`/organizations/${organizationId}/invitations`))
        .set(by.auth)
        .send({ email, role })
        .expect(201);
      const mail = await t.mail.waitFor(email, INVITATION_SUBJECT);
      return { id: res.body.id as string, token: MailCatcher.token(mail) };
    }

    async function openInvitations(as: TestUser, organizationId = clubId): Promise<InvitationItem[]> {
      const res = await t.http
        .get(api(`/organizations/${organizationId}/invitations`))
        .set(as.auth)
        .query({ limit: 100 })
        .expect(200);
      expect(res.body.nextCursor).toBeNull();
      return res.body.items as InvitationItem[];
    }

    const accept = (as: TestUser, token: string) =>
      t.http.post(api('/invitations/accept')).set(as.auth).send({ token });

    async function auditOf(action: string): Promise<Array<Record<string, unknown>>> {
      const res = await t.http
        .get(api('/audit'))
        .set(chair.auth)
        .set('X-Organization-Id', clubId)
        .query({ action, limit: 100 })
        .expect(200);
      return res.body.items as Array<Record<string, unknown>>;
    }

    async function setRole(userId: string, role: string) {
      await t.http
        .patch(api(`/organizations/${clubId}/members/${userId}`))
        .set(chair.auth)
        .send({ role })
        .expect(200);
    }

    beforeAll(async () => {
      [chair, secretary, rower, outsider, ...guests] = await Promise.all([
        createUser(t, { name: 'Ordförande' }),
        createUser(t, { name: 'Sekreterare' }),
        createUser(t, { name: 'Roddare' }),
        createUser(t, { name: 'Utomstående' }),
        ...Array.from({ length: 6 }, (_, i) => createUser(t, { name: `Gäst ${i}` })),
      ]);
      clubId = (
        await t.http
          .post(api('/organizations'))
          .set(chair.auth)
          .send({ name: 'Roddklubben', type: 'association' })
          .expect(201)
      ).body.id;
      for (const [user, role] of [
        [secretary, 'admin'],
        [rower, 'member'],
      ] as const) {
        const { token } = await inviteTo(clubId, chair, user.email, role);
        await accept(user, token).expect(200);
      }
    });

    it('GET /organizations/:id/invitations lists the open invitations, newest first, to admins and owners', async () => {
      const first = await inviteTo(clubId, chair, guests[0].email, 'member');
      const second = await inviteTo(clubId, secretary, guests[1].email, 'viewer');
      const asOwner = await openInvitations(chair);
      expect(asOwner).toEqual([
        {
          id: second.id,
          email: guests[1].email,
          role: 'viewer',
          status: 'pending',
          invitedBy: { userId: secretary.id, name: 'Sekreterare' },
          createdAt: expect.any(String),
          expiresAt: expect.any(String),
        },
        expect.objectContaining({
          id: first.id,
          email: guests[0].email,
          invitedBy: { userId: chair.id, name: 'Ordförande' },
        }),
      ]);
      // accepted invitations are no longer open
      expect(asOwner.map((i) => i.email)).not.toContain(rower.email);
      expect(await openInvitations(secretary)).toEqual(asOwner);
    });

    it('a member cannot list or revoke invitations (403 INSUFFICIENT_ORG_ROLE)', async () => {
      const [open] = await openInvitations(chair);
      const list = await t.http
        .get(api(`/organizations/${clubId}/invitations`))
        .set(rower.auth)
        .expect(403);
      expect(list.body).toMatchObject({ statusCode: 403, code: 'INSUFFICIENT_ORG_ROLE' });
      const revoke = await t.http
        .delete(api(`/organizations/${clubId}/invitations/${open.id}`))
        .set(rower.auth)
        .expect(403);
      expect(revoke.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      expect(await openInvitations(chair)).toContainEqual(expect.objectContaining({ id: open.id }));
    });

    it('another organization cannot list or revoke them: the same 404 as a missing one', async () => {
      const [open] = await openInvitations(chair);
      const missingOrg = `${t.config.globalIdPrefix}999999`;
      const foreignList = await t.http
        .get(api(`/organizations/${clubId}/invitations`))
        .set(outsider.auth)
        .expect(404);
      const missingList = await t.http
        .get(api(`/organizations/${missingOrg}/invitations`))
        .set(outsider.auth)
        .expect(404);
      expect(withoutRequestId(foreignList)).toEqual(withoutRequestId(missingList));

      // the club's invitation through the outsider's own organization, where the outsider is owner
      const foreign = await t.http
        .delete(api(`/organizations/${outsider.organizationId}/invitations/${open.id}`))
        .set(outsider.auth)
        .expect(404);
      const missing = await t.http
        .delete(api(`/organizations/${outsider.organizationId}/invitations/${missingOrg}`))
        .set(outsider.auth)
        .expect(404);
      const malformed = await t.http
        .delete(api(`/organizations/${outsider.organizationId}/invitations/garbage`))
        .set(outsider.auth)
        .expect(404);
      expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'invitation' } });
      expect(withoutRequestId(foreign)).toEqual(withoutRequestId(missing));
      expect(withoutRequestId(malformed)).toEqual(withoutRequestId(missing));
      expect(await openInvitations(outsider, outsider.organizationId)).toEqual([]);
      expect(await openInvitations(chair)).toContainEqual(expect.objectContaining({ id: open.id }));
    });

    it('an admin revokes an invitation (204): it leaves the list, its token no longer works, and it is audited', async () => {
      const { id, token } = await inviteTo(clubId, chair, guests[2].email, 'member');
      await t.http
        .delete(api(`/organizations/${clubId}/invitations/${id}`))
        .set(secretary.auth)
        .expect(204);
      expect((await openInvitations(chair)).map((i) => i.id)).not.toContain(id);
      const res = await accept(guests[2], token).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'INVITATION_INVALID' });
      expect((await membersOf(clubId, chair)).map((m) => m.userId)).not.toContain(guests[2].id);
      expect(await auditOf('invitation.revoked')).toEqual([
        expect.objectContaining({
          actorId: secretary.id,
          targetType: 'invitation',
          targetId: id,
          metadata: { email: guests[2].email, role: 'member', invitedBy: chair.id, reason: 'revoked' },
        }),
      ]);
      // revoking it again: it is gone (404), and nothing more is audited
      const again = await t.http
        .delete(api(`/organizations/${clubId}/invitations/${id}`))
        .set(chair.auth)
        .expect(404);
      expect(again.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'invitation' } });
      expect(await auditOf('invitation.revoked')).toHaveLength(1);
    });

    it('an accepted invitation cannot be revoked (409 INVITATION_ALREADY_ACCEPTED)', async () => {
      const { id, token } = await inviteTo(clubId, chair, guests[3].email, 'viewer');
      await accept(guests[3], token).expect(200);
      const res = await t.http
        .delete(api(`/organizations/${clubId}/invitations/${id}`))
        .set(chair.auth)
        .expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'INVITATION_ALREADY_ACCEPTED' });
    });

    it('only an owner revokes an invitation to the owner role (an admin gets 403)', async () => {
      const { id } = await inviteTo(clubId, chair, uniqueEmail('co-owner'), 'owner');
      const res = await t.http
        .delete(api(`/organizations/${clubId}/invitations/${id}`))
        .set(secretary.auth)
        .expect(403);
      expect(res.body.code).toBe('INSUFFICIENT_ORG_ROLE');
      await t.http
        .delete(api(`/organizations/${clubId}/invitations/${id}`))
        .set(chair.auth)
        .expect(204);
    });

    it('demoting the inviter cancels what they sent: the invitation leaves the list and accepting it is 400', async () => {
      const { id, token } = await inviteTo(clubId, secretary, guests[4].email, 'member');
      const byChair = await inviteTo(clubId, chair, uniqueEmail('kept'), 'member');
      await setRole(secretary.id, 'member');
      const open = (await openInvitations(chair)).map((i) => i.id);
      expect(open).not.toContain(id);
      expect(open).toContain(byChair.id);
      // the viewer invitation the secretary sent in the first test went the same way
      expect((await openInvitations(chair)).filter((i) => i.invitedBy.userId === secretary.id)).toEqual([]);
      const res = await accept(guests[4], token).expect(400);
      expect(res.body.code).toBe('INVITATION_INVALID');
      expect(await auditOf('invitation.cancelled')).toContainEqual(
        expect.objectContaining({
          actorId: chair.id,
          targetId: id,
          metadata: expect.objectContaining({ invitedBy: secretary.id, reason: 'inviter_demoted' }),
        }),
      );
      await setRole(secretary.id, 'admin');
    });

    it('an owner stepping down to admin keeps the invitations an admin may send and loses the owner ones', async () => {
      // the secretary becomes a second owner, invites an owner and a member, then steps down to admin
      await setRole(secretary.id, 'owner');
      const ownerInvite = await inviteTo(clubId, secretary, uniqueEmail('owner-invite'), 'owner');
      const memberInvite = await inviteTo(clubId, secretary, uniqueEmail('member-invite'), 'member');
      await setRole(secretary.id, 'admin');
      const open = (await openInvitations(chair)).map((i) => i.id);
      expect(open).toContain(memberInvite.id);
      expect(open).not.toContain(ownerInvite.id);
    });

    it('removing the inviter cancels what they sent', async () => {
      const { id, token } = await inviteTo(clubId, secretary, guests[5].email, 'viewer');
      await t.http
        .delete(api(`/organizations/${clubId}/members/${secretary.id}`))
        .set(chair.auth)
        .expect(204);
      expect((await openInvitations(chair)).filter((i) => i.invitedBy.userId === secretary.id)).toEqual([]);
      const res = await accept(guests[5], token).expect(400);
      expect(res.body.code).toBe('INVITATION_INVALID');
      expect(await auditOf('invitation.cancelled')).toContainEqual(
        expect.objectContaining({
          targetId: id,
          metadata: expect.objectContaining({ invitedBy: secretary.id, reason: 'inviter_removed' }),
        }),
      );
      expect((await membersOf(clubId, chair)).map((m) => m.userId)).not.toContain(guests[5].id);
    });

    it('an invitation whose inviter deleted their account cannot be accepted (400 INVITATION_INVALID)', async () => {
      const [treasurer, platformAdmin, newcomer] = await Promise.all([
        createUser(t, { name: 'Kassör' }),
        createAdmin(t),
        createUser(t, { name: 'Nykomling två' }),
      ]);
      const joined = await inviteTo(clubId, chair, treasurer.email, 'admin');
      await accept(treasurer, joined.token).expect(200);
      const { token } = await inviteTo(clubId, treasurer, newcomer.email, 'member');
      await t.http
        .delete(api(`/admin/users/${treasurer.id}`))
        .set(platformAdmin.auth)
        .expect(200);
      const res = await accept(newcomer, token).expect(400);
      expect(res.body).toMatchObject({
        code: 'INVITATION_INVALID',
        details: { reason: 'inviter_no_longer_allowed' },
      });
      expect((await membersOf(clubId, chair)).map((m) => m.userId)).not.toContain(newcomer.id);
    });

    it('accepting re-checks the inviter even when nothing cancelled the invitation (400 INVITATION_INVALID)', async () => {
      // the inviter's role changes behind the API's back (an older invitation, or a path that does not cascade)
      const newcomer = await createUser(t, { name: 'Nykomling' });
      await setRole(rower.id, 'admin');
      const { token } = await inviteTo(clubId, rower, newcomer.email, 'member');
      await t.db
        .collection('memberships')
        .updateOne({ _id: `${clubId}:${rower.id}` } as never, { $set: { role: 'viewer' } });
      const res = await accept(newcomer, token).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        code: 'INVITATION_INVALID',
        details: { reason: 'inviter_no_longer_allowed' },
        requestId: expect.any(String),
      });
      expect((await membersOf(clubId, chair)).map((m) => m.userId)).not.toContain(newcomer.id);
      // and it is closed, so the admins' list no longer shows it
      expect((await openInvitations(chair)).map((i) => i.email)).not.toContain(newcomer.email);
      expect(await auditOf('invitation.cancelled')).toContainEqual(
        expect.objectContaining({ metadata: expect.objectContaining({ reason: 'inviter_not_allowed' }) }),
      );
    });
  });
});
