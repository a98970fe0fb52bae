import { Injectable } from '@nestjs/common';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { DEFAULT_AUTO_THRESHOLD } from './categorization.constants';
import { AiSettingsRepository } from './categorization.repository';

export interface AiSettingsView {
  autoApply: boolean;
  threshold: number;
  defaults: { autoApply: boolean; threshold: number };
}

const DEFAULTS = { autoApply: true, threshold: DEFAULT_AUTO_THRESHOLD };

/** Per organization: apply categories automatically or not, and from which confidence. */
@Injectable()
export class AiSettingsService {
  constructor(
    private readonly settings: AiSettingsRepository,
    private readonly audit: AuditService,
  ) {}

  async current(): Promise<{ autoApply: boolean; threshold: number }> {
    const stored = await this.settings.current();
    return stored ? { autoApply: stored.autoApply, threshold: stored.threshold } : { ...DEFAULTS };
  }

  async get(): Promise<AiSettingsView> {
    return { ...(await this.current()), defaults: { ...DEFAULTS } };
  }

  async update(patch: { autoApply?: boolean; threshold?: number }): Promise<AiSettingsView> {
    const before = await this.current();
    const values = { ...before, ...patch };
    await this.settings.save(values);
    await this.audit.record({
      action: AuditAction.AiSettingsUpdated,
      targetType: 'ai_settings',
      changes: diffFields(before, values, ['autoApply', 'threshold']),
    });
    return { ...values, defaults: { ...DEFAULTS } };
  }
}
