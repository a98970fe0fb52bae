import ICAL from 'ical.js';
import { Clock } from '../src/infrastructure/clock/clock';
import { activatePro } from './helpers/billing';
import { BROADBAND } from './helpers/contracts';
import { createUser, type TestUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The calendar feed: a person's due dates across their organizations as RFC 5545, parsed with ical.js (the parser
 * of Thunderbird); stable UIDs, one VALARM per lead time; the token is revocable and regenerable; a read-only
 * organization's feed keeps working; any other token is the same 404.
 */

const api = (path: string) => `/api/v1${path}`;

interface FeedEvent {
  uid: string;
  summary: string;
  start: string;
  allDay: boolean;
  alarms: string[];
}

function parseFeed(text: string): { calendar: ICAL.Component; events: FeedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toString(),
      allDay: event.startDate.isDate,
      alarms: vevent.getAllSubcomponents('valarm').map((a) => String(a.getFirstPropertyValue('trigger'))),
    };
  });
  return { calendar, events };
}

describe('calendar feed', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;

  const feed = (path: string) => t.http.get(path);

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(Clock).travelTo(new Date('2026-09-01T10:00:00Z'));
    [a, b] = await Promise.all([createUser(t), createUser(t)]);
    await activatePro(t, a.organizationId, 400);
    await t.http
      .post(api('/contracts'))
      .set(a.auth)
      .send({
        ...BROADBAND,
        reminderLeadDays: [14, 1],
        priceSteps: [{ from: '2026-10-20', amount: 44_900 }],
      })
      .expect(201);
  });

  afterAll(() => t.close());

  it('serves every due date as an all-day event with stable UIDs and one alarm per lead time', async () => {
    expect((await t.http.get(api('/me/calendar-token')).set(a.auth).expect(200)).body).toEqual({
      active: false,
      createdAt: null,
    });
    const issued = await t.http.post(api('/me/calendar-token')).set(a.auth).expect(200);
    expect(issued.body.path).toBe(`/api/v1/calendar/${issued.body.token}.ics`);
    expect(issued.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const res = await feed(issued.body.path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
    expect(res.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const lines = res.text.split('\r\n');
    expect(lines.every((line) => Buffer.byteLength(line) <= 75)).toBe(true); // folded
    const stamps = lines.filter((line) => line.startsWith('DTSTAMP'));
    expect(stamps.length).toBe(3);
    for (const stamp of stamps) expect(stamp).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/); // UTC, as RFC 5545 requires
    const { calendar, events } = parseFeed(res.text);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(String(calendar.getFirstPropertyValue('prodid'))).toContain('WestWallet');
    expect(events.map((e) => [e.summary, e.start, e.allDay]).sort()).toEqual(
      [
        ['Bahnhof Fiber förnyas 2027-01-15', '2027-01-15', true],
        ['Nytt pris för Bahnhof Fiber från 2026-10-20: 449,00\u00a0kr', '2026-10-20', true],
        ['Sista dag att säga upp Bahnhof Fiber: 2026-10-14', '2026-10-14', true],
      ].sort(),
    );
    for (const e of events) expect(e.alarms.sort()).toEqual(['-P14D', '-P1D'].sort());
    // Every VEVENT has DTSTAMP and a UID; the UIDs stay the same on the next fetch.
    for (const vevent of calendar.getAllSubcomponents('vevent')) {
      expect(vevent.getFirstPropertyValue('dtstamp')).toBeTruthy();
    }
    const again = parseFeed((await feed(issued.body.path).expect(200)).text);
    expect(again.events.map((e) => e.uid).sort()).toEqual(events.map((e) => e.uid).sort());

    const english = parseFeed((await feed(`${issued.body.path}?lang=en`).expect(200)).text);
    expect(english.events.map((e) => e.summary)).toContain('Last day to cancel Bahnhof Fiber: 2026-10-14');
  });

  it('keeps working while the organization is read-only', async () => {
    const { path } = (await t.http.post(api('/me/calendar-token')).set(a.auth).expect(200)).body;
    await t.db.collection<{ _id: string }>('billing_accounts').deleteOne({ _id: a.organizationId });
    const refused = await t.http
      .post(api('/contracts'))
      .set(a.auth)
      .send({ name: 'x', kind: 'other', frequency: 'monthly', amount: 1, startDate: '2026-01-01' })
      .expect(403);
    expect(refused.body.code).toBe('ACCOUNT_READ_ONLY');
    expect(parseFeed((await feed(path).expect(200)).text).events).toHaveLength(3);
    await activatePro(t, a.organizationId, 400);
  });

  it('regenerates and revokes; any other token is the same 404', async () => {
    const first = (await t.http.post(api('/me/calendar-token')).set(a.auth).expect(200)).body;
    const second = (await t.http.post(api('/me/calendar-token')).set(a.auth).expect(200)).body;
    const gone = await feed(first.path).expect(404);
    expect(gone.body).toMatchObject({ code: 'NOT_FOUND', details: { type: 'calendar' } });
    await feed(second.path).expect(200);
    for (const bad of [
      'x.ics',
      `${second.token}.ical`,
      `${second.token.slice(1)}a.ics`,
      '%00.ics',
      'a'.repeat(500),
    ]) {
      const res = await feed(api(`/calendar/${bad}`));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    await t.http.delete(api('/me/calendar-token')).set(a.auth).expect(204);
    await feed(second.path).expect(404);
    await t.http.post(api('/me/calendar-token')).expect(401);
  });

  it("shows a person only their own organizations' dates", async () => {
    const { path } = (await t.http.post(api('/me/calendar-token')).set(b.auth).expect(200)).body;
    expect(parseFeed((await feed(path).expect(200)).text).events).toEqual([]);
  });
});
