import type { RequestContext } from '../../common/context/request-context';
import type { RecordTypeDefinition, TrashableRecord } from './record-types';

/**
 * The organization itself as a record files can belong to (a logo, the association's statutes): `recordId` = the
 * organization's own id. It resolves only inside that organization (the guard already checked membership), and it
 * never goes to the trash (no `trash` hooks).
 */
export function organizationRecordType(context: RequestContext): RecordTypeDefinition<TrashableRecord> {
  return {
    type: 'organization',
    find: (id) =>
      Promise.resolve(context.requireTenant().organizationId === id ? { _id: id, isDeleted: false } : null),
    label: () => 'organization',
  };
}
