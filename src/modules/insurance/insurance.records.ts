import { Injectable, OnModuleInit } from '@nestjs/common';
import { portableStore } from '../portability/portable-store';
import { RecordRegistry } from '../trash/record-registry';
import { FieldCrypto } from '../../infrastructure/crypto/field-crypto';
import { aad } from './policies/policies.service';
import { InsurancePoliciesRepository } from './policies/policies.repository';
import type { InsurancePolicyDoc } from './policies/policies.schema';
import { POLICY_TYPE_SV } from './common/policy-kinds';

/** Record type names in the trash, the uploads (`recordId`) and audit entries: never rename. */
export const INSURANCE_RECORD_TYPES = { policy: 'insurance_policy' } as const;

/**
 * Insurance policies in the trash (DELETE answers the undo payload, restore, purge) and the uploads: the policy
 * letter (försäkringsbrev), terms and claims attach with `POST /uploads` `recordId`. The trash label never shows the
 * policy number.
 */
@Injectable()
export class InsuranceRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly policies: InsurancePoliciesRepository,
    private readonly crypto: FieldCrypto,
  ) {}

  onModuleInit(): void {
    this.registry.register<InsurancePolicyDoc>({
      type: INSURANCE_RECORD_TYPES.policy,
      find: (id, { withDeleted }) => this.policies.findById(id, { withDeleted }),
      label: (p) => [POLICY_TYPE_SV[p.type], p.insurerName, p.item].filter(Boolean).join(' '),
      // The policy number is encrypted bound to the record's id: it travels in plain text inside the archive (the
      // organization's own data) and is encrypted again under the new id.
      portable: {
        file: 'insurance_policies',
        ...portableStore(this.policies),
        references: { insurerId: 'supplier', carId: 'car' },
        toRow: ({ policyNumberEnc, ...p }) => ({
          ...p,
          policyNumber:
            typeof policyNumberEnc === 'string'
              ? this.crypto.decrypt(policyNumberEnc, aad(String(p._id)))
              : null,
        }),
        fromRow: ({ policyNumber, ...p }) => ({
          ...p,
          policyNumberEnc:
            typeof policyNumber === 'string' ? this.crypto.encrypt(policyNumber, aad(String(p._id))) : null,
        }),
      },
      trash: {
        softDelete: (id, at) => this.policies.softDeleteById(id, at),
        restore: (id) => this.policies.restoreById(id),
        purge: (id) => this.policies.purgeDeleted(id),
      },
    });
  }
}
