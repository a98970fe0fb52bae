import { activatePro } from './helpers/billing';
import { DnsServer } from './helpers/dns-server';
import { createAdmin, createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';
import { Receiver } from './helpers/webhook-receivers';

/**
 * The SSRF guard with nothing allowed by configuration: every spelling of a loopback, private, link-local, CGNAT,
 * multicast, unspecified, reserved or metadata address is refused when an endpoint is created and again at each
 * attempt after DNS resolution (through a local DNS server the app is pointed at with WEBHOOKS_DNS_SERVERS);
 * the connection is pinned to the checked address; platform admins can allow a LAN host, never a metadata one.
 */

const api = (path: string) => `/api/v1${path}`;

/** Every URL refused at creation, with the reason the guard gives (the closing note lists these). */
const REFUSED: [string, string][] = [
  ['http://127.0.0.1:8123/hook', 'loopback'],
  ['http://127.0.0.2/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://0177.0.0.1/', 'loopback'],
  ['http://0x7f.1/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://017700000001/', 'loopback'],
  ['http://[::1]/', 'loopback'],
  ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ['http://[::ffff:7f00:1]/', 'loopback'],
  ['http://localhost:8123/', 'loopback'],
  ['http://LOCALHOST./', 'loopback'],
  ['http://ha.localhost/', 'loopback'],
  ['http://0.0.0.0/', 'unspecified'],
  ['http://0/', 'unspecified'],
  ['http://[::]/', 'unspecified'],
  ['http://10.0.0.1/', 'private'],
  ['http://172.16.0.1/', 'private'],
  ['http://192.168.1.20:8123/api/webhook/x', 'private'],
  ['http://[::ffff:192.168.1.20]/', 'private'],
  ['http://[fd12:3456::1]/', 'uniqueLocal'],
  ['http://169.254.169.254/latest/meta-data/', 'metadata'],
  ['http://[::ffff:169.254.169.254]/', 'metadata'],
  ['http://[fd00:ec2::254]/', 'metadata'],
  ['http://169.254.1.1/', 'linkLocal'],
  ['http://[fe80::1]/', 'linkLocal'],
  ['http://100.64.0.1/', 'carrierGradeNat'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://[ff02::1]/', 'multicast'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://240.0.0.1/', 'reserved'],
  ['http://192.0.2.1/', 'reserved'],
  ['http://[2001:db8::1]/', 'reserved'],
  ['http://[64:ff9b::7f00:1]/', 'rfc6052'],
  ['http://[2002:7f00:1::]/', '6to4'],
  ['http://[2001::1]/', 'teredo'],
  ['http://loopback.test/', 'loopback'],
  ['http://private.test/', 'private'],
  ['http://metadata.test/', 'metadata'],
  ['http://mixed.test/', 'loopback'],
  ['http://v6.test/', 'loopback'],
  ['http://mapped.test/', 'loopback'],
  ['ftp://example.test/', 'scheme'],
  ['https://user:pw@public.test/', 'credentials'],
];

describe('webhook SSRF guard', () => {
  let t: TestApp;
  let a: TestUser;
  let admin: TestUser;
  const dns = new DnsServer();
  const receiver = new Receiver();

  const post = (user: TestUser, path: string, body: object = {}) =>
    t.http.post(api(path)).set(user.auth).send(body);
  const get = (user: TestUser, path: string) => t.http.get(api(path)).set(user.auth);
  const create = (url: string) =>
    post(a, '/webhooks/endpoints', { name: 'SSRF', url, format: 'json', eventTypes: ['category.created'] });

  beforeAll(async () => {
    await dns.start();
    await receiver.start();
    dns.records.set('loopback.test', ['127.0.0.1']);
    dns.records.set('private.test', ['10.1.2.3']);
    dns.records.set('metadata.test', ['169.254.169.254']);
    dns.records.set('mixed.test', ['93.184.216.34', '127.0.0.1']);
    dns.records.set('v6.test', ['::1']);
    dns.records.set('mapped.test', ['::ffff:127.0.0.1']);
    dns.records.set('public.test', ['93.184.216.34']);
    t = await startTestApp({ WEBHOOKS_DNS_SERVERS: dns.server, WEBHOOKS_TIMEOUT_MS: '2000' });
    [a, admin] = await Promise.all([createUser(t), createAdmin(t)]);
    await activatePro(t, a.organizationId, 30);
  });

  afterAll(async () => {
    await t.close();
    await receiver.close();
    await dns.stop();
  });

  it.each(REFUSED)('refuses %s (%s)', async (url, reason) => {
    const res = await create(url);
    expect([res.status, res.body.code, res.body.details?.reason]).toEqual([
      422,
      'WEBHOOK_URL_FORBIDDEN',
      reason,
    ]);
  });

  it('checks again at every attempt, after DNS resolution', async () => {
    dns.records.set('flip.test', ['93.184.216.34']);
    const ep = (await create(`http://flip.test:${receiver.port}/hook`).expect(201)).body;
    dns.records.set('flip.test', ['127.0.0.1']);
    const tested = (await post(a, `/webhooks/endpoints/${ep.id}/test`).expect(200)).body;
    expect(tested).toMatchObject({
      status: 'failed',
      lastError: 'refused: loopback (127.0.0.1)',
      lastStatusCode: null,
    });
    dns.records.set('flip.test', ['::ffff:10.0.0.7']);
    const again = (await post(a, `/webhooks/endpoints/${ep.id}/test`).expect(200)).body;
    expect(again.lastError).toBe('refused: private (10.0.0.7)');
    expect(receiver.received).toHaveLength(0);
  });

  it('accepts a name that does not resolve yet, and fails its attempts until it does', async () => {
    const ep = (await create('https://not-yet.test/hook').expect(201)).body;
    const tested = (await post(a, `/webhooks/endpoints/${ep.id}/test`).expect(200)).body;
    expect(tested.lastError).toMatch(/^refused: dns /);
  });

  it('lets platform admins allow a LAN host (never a metadata address), and pins the connection to it', async () => {
    await post(a, '/admin/webhooks/allowed-networks', { cidr: '127.0.0.1/32' }).expect(403);
    await post(admin, '/admin/webhooks/allowed-networks', { cidr: '0.0.0.0/0' }).expect(400);
    await post(admin, '/admin/webhooks/allowed-networks', { cidr: 'home' }).expect(400);
    const added = await post(admin, '/admin/webhooks/allowed-networks', {
      cidr: '127.0.0.1',
      note: 'test receiver',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ cidr: '127.0.0.1/32', source: 'admin' });
    await post(admin, '/admin/webhooks/allowed-networks', { cidr: '127.0.0.1/32' }).expect(409);
    await post(admin, '/admin/webhooks/allowed-networks', { cidr: '169.254.0.0/16' }).expect(201);
    expect((await get(admin, '/admin/webhooks/allowed-networks').expect(200)).body).toHaveLength(2);

    await create('http://169.254.169.254/latest/meta-data/').expect(422);
    await create('http://169.254.1.1/').expect(201);
    await create('http://127.0.0.2/').expect(422);
    await create('http://localhost/').expect(422); // ::1 is not allowed
    await create('http://[::ffff:127.0.0.1]:1/').expect(201);

    // Rebinding: the guard asks DNS once per attempt and the request connects to that answer. The name is known only
    // to our DNS server (the system resolver cannot find it), and the answer turns private right after the guard's
    // question — the message still reaches 127.0.0.1.
    dns.records.set('pin.test', ['127.0.0.1']);
    const ep = (await create(`http://pin.test:${receiver.port}/pinned`).expect(201)).body;
    dns.onQuestion = (name, type) => {
      if (name === 'pin.test' && type === 'A') dns.records.set('pin.test', ['10.9.9.9']);
    };
    dns.records.set('pin.test', ['127.0.0.1']);
    const before = dns.questions.get('pin.test') ?? 0;
    const sent = (await post(a, `/webhooks/endpoints/${ep.id}/test`).expect(200)).body;
    dns.onQuestion = () => undefined;
    expect(sent).toMatchObject({ status: 'succeeded', lastStatusCode: 200 });
    expect(receiver.received.map((r) => r.path)).toEqual(['/pinned']);
    expect(receiver.received[0].headers.host).toBe(`pin.test:${receiver.port}`);
    expect((dns.questions.get('pin.test') ?? 0) - before).toBe(2); // one A and one AAAA question, no more

    await t.http
      .delete(api('/admin/webhooks/allowed-networks'))
      .query({ cidr: '127.0.0.1/32' })
      .set(admin.auth)
      .expect(204);
    await t.http
      .delete(api('/admin/webhooks/allowed-networks'))
      .query({ cidr: '10.0.0.0/8' })
      .set(admin.auth)
      .expect(404);
    // The process that changed the list sees it at once (others within the 10 s cache).
    expect((await get(admin, '/admin/webhooks/allowed-networks').expect(200)).body).toHaveLength(1);
    await create('http://127.0.0.1:1/').expect(422);
  });

  it('does not follow redirects', async () => {
    receiver.respond = () => ({
      status: 302,
      headers: { location: 'http://169.254.169.254/latest/meta-data/' },
    });
    dns.records.set('redirect.test', ['127.0.0.1']);
    await post(admin, '/admin/webhooks/allowed-networks', { cidr: '127.0.0.1/32' }).expect(201);
    const ep = (await create(`http://redirect.test:${receiver.port}/redirect`).expect(201)).body;
    const sent = (await post(a, `/webhooks/endpoints/${ep.id}/test`).expect(200)).body;
    expect(sent).toMatchObject({
      status: 'failed',
      lastStatusCode: 302,
      lastError: 'redirect not followed (HTTP 302)',
    });
    expect(receiver.received.filter((r) => r.path === '/redirect')).toHaveLength(1);
  });
});
