import { BillingAdminService } from '../billing/admin/admin.service';
import { OrganizationsService } from '../organizations/organizations.service';
import type { ReminderKind } from '../reminders/reminders.contract';
import { RemindersService } from '../reminders/reminders/reminders.service';
import { UsersService } from '../users/users.service';

/**
 * The notifications module's links to other modules' classes: tokens bound to their exported services, used
 * through the narrow shapes below. Users come through the users module's own `USERS` port.
 */
export const MEMBERS = Symbol('MembersForNotifications');
export const BILLING_AUDIENCE = Symbol('BillingAudienceForNotifications');
export const ALL_USERS = Symbol('AllUsersForNotifications');
/**
 * The reminder kinds a person turned off in `/reminders/settings` (docs/notifications.md, "one switch per
 * question"): a reminder of such a kind is not notified either.
 */
export const REMINDER_PREFERENCES = Symbol('ReminderPreferencesForNotifications');

export interface ReminderPreferences {
  disabledKinds(userId: string): Promise<ReminderKind[]>;
}

export type OrgRoleName = 'owner' | 'admin' | 'member' | 'viewer';

export interface MembersForNotifications {
  /** Live members of an organization. */
  members(organizationId: string): Promise<{ userId: string; role: OrgRoleName }[]>;
  /** The organizations a person belongs to now. */
  listForUser(userId: string): Promise<{ id: string; name: string }[]>;
}

export type Plan = 'free' | 'trial' | 'pro';
export type BillingStatus = 'active' | 'past_due' | 'suspended';

/** The admin's billing list, filtered by the state in force now (plan, status), page by page. */
export interface BillingAudience {
  list(query: {
    plan?: Plan;
    status?: BillingStatus;
    sort: '-createdAt';
    limit: number;
    cursor?: string;
  }): Promise<{ items: { organizationId: string }[]; nextCursor: string | null }>;
}

/** Every live user, page by page (the admin users list). */
export interface AllUsers {
  adminList(
    search: { deleted?: boolean },
    page: { cursor?: string; limit: number },
  ): Promise<{ items: { id: string }[]; nextCursor: string | null }>;
}

export const NOTIFICATION_PORTS = [
  { provide: MEMBERS, useExisting: OrganizationsService },
  { provide: BILLING_AUDIENCE, useExisting: BillingAdminService },
  { provide: ALL_USERS, useExisting: UsersService },
  { provide: REMINDER_PREFERENCES, useExisting: RemindersService },
];
