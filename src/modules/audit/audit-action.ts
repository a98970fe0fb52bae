/**
 * Every kind of audit entry. The values are stored and filtered on (`GET /audit?action=`): never rename one, add a
 * new member instead. `http.request` is the generic entry the interceptor writes for a state-changing request no
 * service described more precisely.
 */
export enum AuditAction {
  AuthRegister = 'auth.register',
  AuthLogin = 'auth.login',
  AuthLoginFailed = 'auth.login_failed',
  AuthLogout = 'auth.logout',
  AuthRefreshReused = 'auth.refresh_reused',
  AuthEmailVerified = 'auth.email_verified',
  AuthPasswordResetRequested = 'auth.password_reset_requested',
  AuthPasswordReset = 'auth.password_reset',
  AuthPasswordChanged = 'auth.password_changed',
  UserUpdated = 'user.updated',
  UserPreferencesUpdated = 'user.preferences_updated',
  UserRoleChanged = 'user.role_changed',
  UserDeleted = 'user.deleted',
  UserRestored = 'user.restored',
  OrganizationCreated = 'organization.created',
  OrganizationUpdated = 'organization.updated',
  MemberRoleChanged = 'member.role_changed',
  MemberRemoved = 'member.removed',
  InvitationCreated = 'invitation.created',
  InvitationAccepted = 'invitation.accepted',
  HttpRequest = 'http.request',
}

export const AUDIT_ACTIONS: readonly AuditAction[] = Object.values(AuditAction);
