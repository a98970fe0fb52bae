import { DEFAULT_PREFERENCES } from '../../users/preferences';
import { defaultKindSetting, effectiveSettings, unofferedSetting } from './settings.rules';

describe('notification settings', () => {
  it('defaults follow the account preferences: in-app always, push is in-app, email when chosen', () => {
    expect(defaultKindSetting('bill_due', DEFAULT_PREFERENCES)).toEqual({
      enabled: true,
      channels: ['email', 'in_app'],
      leadDays: null,
      delivery: 'instant',
    });
    const webhookOnly = {
      ...DEFAULT_PREFERENCES,
      notifications: { channels: ['push', 'webhook'] as ('push' | 'webhook')[], daysBefore: [] },
    };
    expect(defaultKindSetting('bill_due', webhookOnly).channels).toEqual(['in_app', 'webhook']);
  });

  it('billing is never mailed from here (the billing module mails the owners); the weekly summary is opt-in', () => {
    expect(defaultKindSetting('billing', DEFAULT_PREFERENCES).channels).toEqual(['in_app']);
    expect(defaultKindSetting('weekly_summary', DEFAULT_PREFERENCES)).toMatchObject({
      enabled: false,
      channels: ['email'],
    });
  });

  it('stored fields win, the rest follows the default', () => {
    const s = effectiveSettings(
      {
        kinds: { renewal: { leadDays: [14], delivery: 'digest' } },
        quietHours: { start: '22:00', end: '07:00' },
      },
      DEFAULT_PREFERENCES,
    );
    expect(s.kinds.renewal).toEqual({
      enabled: true,
      channels: ['email', 'in_app'],
      leadDays: [14],
      delivery: 'digest',
    });
    expect(s.quietHours).toEqual({ start: '22:00', end: '07:00' });
    expect(s.announcements).toBe(true);
    expect(effectiveSettings(null, null).kinds.bill_due.channels).toEqual(['email', 'in_app']);
  });

  it('names what a kind does not offer', () => {
    expect(unofferedSetting('billing', { channels: ['email'] })).toBe('billing is not sent by email');
    expect(unofferedSetting('weekly_summary', { delivery: 'digest' })).toBe(
      'weekly_summary has no daily digest',
    );
    expect(unofferedSetting('bank_review', { leadDays: [3] })).toBe('bank_review has no lead days');
    expect(
      unofferedSetting('bill_due', { channels: ['webhook'], leadDays: [3], delivery: 'digest' }),
    ).toBeNull();
  });
});
