/**
 * Counterparty policies, as pure rules (the service feeds them from stored events).
 *
 * Every OK, reject, undo and automatic booking is an append-only event of the counterparty (bank_policy_events).
 * The counts are derived from those events, never kept as counters (FerretDB may lose concurrent `$inc`s):
 * - approved_count: manual approvals; rejected_count: rejections; undone_count: undone matches;
 * - a setback is a reject or an undo. `approvalsSinceSetback` counts approvals after the latest setback.
 * Enabling automatic booking needs `approvalsSinceSetback ≥ threshold` (default 3). Automatic booking is active
 * only while `autoEnabled` is on *and* no setback happened after it was enabled — so a reject turns it off even if
 * the write of `autoEnabled = false` were lost in a race.
 */
export const DEFAULT_AUTO_THRESHOLD = 3;

export const POLICY_EVENT_KINDS = ['approved', 'rejected', 'undone', 'auto_booked'] as const;
export type PolicyEventKind = (typeof POLICY_EVENT_KINDS)[number];

export interface PolicyStats {
  approvedCount: number;
  rejectedCount: number;
  undoneCount: number;
  autoBookedCount: number;
  approvalsSinceSetback: number;
  lastSetbackAt: Date | null;
}

export interface PolicyFlags {
  autoEnabled: boolean;
  autoEnabledAt: Date | null;
}

export type EnableCheck =
  { ok: true } | { ok: false; approvalsSinceSetback: number; threshold: number; lastSetbackAt: Date | null };

export function canEnableAuto(stats: PolicyStats, threshold = DEFAULT_AUTO_THRESHOLD): EnableCheck {
  if (stats.approvalsSinceSetback >= threshold) return { ok: true };
  return {
    ok: false,
    approvalsSinceSetback: stats.approvalsSinceSetback,
    threshold,
    lastSetbackAt: stats.lastSetbackAt,
  };
}

export function isAutoActive(flags: PolicyFlags, stats: Pick<PolicyStats, 'lastSetbackAt'>): boolean {
  if (!flags.autoEnabled || !flags.autoEnabledAt) return false;
  return !stats.lastSetbackAt || stats.lastSetbackAt.getTime() < flags.autoEnabledAt.getTime();
}

/** Stats from a list of events (used by tests and as the reference for the service's database version). */
export function statsFromEvents(events: readonly { kind: PolicyEventKind; at: Date }[]): PolicyStats {
  const stats: PolicyStats = {
    approvedCount: 0,
    rejectedCount: 0,
    undoneCount: 0,
    autoBookedCount: 0,
    approvalsSinceSetback: 0,
    lastSetbackAt: null,
  };
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of sorted) {
    switch (e.kind) {
      case 'approved':
        stats.approvedCount++;
        stats.approvalsSinceSetback++;
        break;
      case 'auto_booked':
        stats.autoBookedCount++;
        break;
      case 'rejected':
      case 'undone':
        if (e.kind === 'rejected') stats.rejectedCount++;
        else stats.undoneCount++;
        stats.approvalsSinceSetback = 0;
        stats.lastSetbackAt = e.at;
        break;
    }
  }
  return stats;
}
