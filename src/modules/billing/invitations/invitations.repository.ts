import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { MutableRepository } from '../../../infrastructure/mongo/repositories';
import { BillingInvitationEntity, type BillingInvitationDoc } from './invitations.schema';

@Injectable()
export class BillingInvitationsRepository extends MutableRepository<BillingInvitationDoc> {
  constructor(@InjectModel(BillingInvitationEntity.name) model: Model<BillingInvitationDoc>) {
    super(model);
  }

  create(invitation: Omit<BillingInvitationDoc, 'createdAt' | 'updatedAt'>): Promise<BillingInvitationDoc> {
    return this.insert(invitation);
  }

  findByTokenHash(tokenHash: string): Promise<BillingInvitationDoc | null> {
    return this.findOneWhere({ tokenHash });
  }

  /** Invitations to this address not accepted yet and not expired at `now`, newest first. */
  pendingFor(email: string, now: Date): Promise<BillingInvitationDoc[]> {
    return this.findWhere(
      { email, acceptedAt: null, expiresAt: { $gt: now } },
      { sort: { createdAt: -1, _id: -1 }, limit: 20 },
    );
  }

  markAccepted(id: string, userId: string, organizationId: string, at: Date) {
    return this.updateWhere(
      { _id: id, acceptedAt: null },
      { $set: { acceptedAt: at, acceptedBy: userId, organizationId } },
    );
  }
}
