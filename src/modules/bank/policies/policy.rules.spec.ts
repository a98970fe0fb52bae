import { canEnableAuto, isAutoActive, statsFromEvents, type PolicyEventKind } from './policy.rules';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute));
const events = (...kinds: PolicyEventKind[]) => kinds.map((kind, i) => ({ kind, at: at(i) }));

describe('policy rules', () => {
  it('counts approvals, rejections, undos and automatic bookings from events', () => {
    const stats = statsFromEvents(
      events('approved', 'approved', 'rejected', 'approved', 'auto_booked', 'undone', 'approved'),
    );
    expect(stats).toEqual({
      approvedCount: 4,
      rejectedCount: 1,
      undoneCount: 1,
      autoBookedCount: 1,
      approvalsSinceSetback: 1,
      lastSetbackAt: at(5),
    });
  });

  it('enabling needs the threshold of approvals since the last setback (default 3)', () => {
    expect(canEnableAuto(statsFromEvents(events()))).toEqual({
      ok: false,
      approvalsSinceSetback: 0,
      threshold: 3,
      lastSetbackAt: null,
    });
    expect(canEnableAuto(statsFromEvents(events('approved', 'approved')))).toMatchObject({
      ok: false,
      approvalsSinceSetback: 2,
    });
    expect(canEnableAuto(statsFromEvents(events('approved', 'approved', 'approved')))).toEqual({ ok: true });
    expect(
      canEnableAuto(statsFromEvents(events('approved', 'approved', 'approved', 'rejected', 'approved'))),
    ).toMatchObject({ ok: false, approvalsSinceSetback: 1 });
    expect(canEnableAuto(statsFromEvents(events('approved')), 1)).toEqual({ ok: true });
    // automatic bookings do not count as approvals
    expect(canEnableAuto(statsFromEvents(events('approved', 'auto_booked', 'auto_booked')))).toMatchObject({
      ok: false,
    });
  });

  it('automatic booking is active only while enabled and with no setback since enabling', () => {
    const enabled = { autoEnabled: true, autoEnabledAt: at(10) };
    expect(isAutoActive({ autoEnabled: false, autoEnabledAt: null }, { lastSetbackAt: null })).toBe(false);
    expect(isAutoActive(enabled, { lastSetbackAt: null })).toBe(true);
    expect(isAutoActive(enabled, { lastSetbackAt: at(5) })).toBe(true);
    expect(isAutoActive(enabled, { lastSetbackAt: at(11) })).toBe(false);
  });
});
