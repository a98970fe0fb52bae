import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { RequestContext } from '../../../common/context/request-context';
import { Clock } from '../../../infrastructure/clock/clock';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { OrganizationsService } from '../../organizations/organizations.service';
import { SecurityEventsService } from '../../users/security-events/security-events.service';
import { UsersService } from '../../users/users.service';
import { RecordRegistry } from '../../trash/record-registry';
import { ZipWriter } from '../archive/zip-writer';
import { importableOnly, portableTypes, toRow } from '../portable-types';

export const PERSONAL_FORMAT = 'westwallet-personal-export';

/**
 * A person's own data (GDPR art. 15 and 20), as one ZIP streamed straight to them (docs/portability.md, "GDPR"):
 * `account.json` (the profile as the API shows it: no password hash, the personal identity number not included),
 * `memberships.json`, `security-events.jsonl`, and per organization they belong to, the records they created
 * (`organizations/<id>/<file>.jsonl`: rows whose people fields — createdBy, uploadedBy, completedBy — name them),
 * with a `manifest.json` (counts and SHA-256 per entry). Small enough to write while the request waits.
 */
@Injectable()
export class PersonalExportService {
  constructor(
    private readonly users: UsersService,
    private readonly securityEvents: SecurityEventsService,
    private readonly organizations: OrganizationsService,
    private readonly registry: RecordRegistry,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async write(out: Writable): Promise<void> {
    const actor = this.context.requireActor();
    const userId = actor.userId;
    const zip = new ZipWriter(out);
    const files: { path: string; count?: number; size: number; sha256: string }[] = [];
    const add = async (path: string, data: string, count?: number) => {
      const written = await zip.add(path, Buffer.from(data));
      files.push({ path, ...(count === undefined ? {} : { count }), ...written });
    };
    const jsonl = (rows: unknown[]) =>
      rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');

    await add('account.json', JSON.stringify(this.users.view(await this.users.get(userId)), null, 2));
    const memberships = await this.organizations.listForUser(userId);
    await add('memberships.json', JSON.stringify(memberships, null, 2));
    const events: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.securityEvents.list(userId, { cursor, limit: 100 });
      events.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    await add('security-events.jsonl', jsonl(events), events.length);

    for (const membership of memberships) {
      const rowsByFile = await this.context.run(
        { tenant: { organizationId: membership.id, orgRole: membership.role }, actor },
        async () => {
          const result: [string, Record<string, unknown>[]][] = [];
          // The organization's books (bank data, verifikationer: export-only types) stay in the organization's
          // export for its admins: they hold its account numbers, not the person's data.
          for (const item of importableOnly(portableTypes(this.registry))) {
            const fields = item.definition.userFields ?? [];
            if (!fields.length) continue;
            const mine = (await item.definition.list()).filter((r) => fields.some((f) => r[f] === userId));
            if (mine.length) result.push([item.definition.file, mine.map((r) => toRow(item, r))]);
          }
          return result;
        },
      );
      for (const [file, rows] of rowsByFile)
        await add(`organizations/${membership.id}/${file}.jsonl`, jsonl(rows), rows.length);
    }
    const manifest = {
      format: PERSONAL_FORMAT,
      formatVersion: 1,
      createdAt: this.clock.now().toISOString(),
      user: { id: userId },
      files,
    };
    await zip.add('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
    await this.audit.record({
      action: AuditAction.UserPersonalDataExported,
      organizationId: null,
      targetType: 'user',
      targetId: userId,
      metadata: { organizations: memberships.length, entries: files.length },
    });
    await zip.finish();
  }
}
