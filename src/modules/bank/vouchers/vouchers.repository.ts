import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { isDuplicateKey } from '../../../infrastructure/mongo/unique';
import { AppendOnlyTenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  BookkeepingSettingsEntity,
  VoucherCorrectionEntity,
  VoucherEntity,
  type BookkeepingSettingsDoc,
  type OrgNumberKind,
  type VoucherCorrectionDoc,
  type VoucherDoc,
} from './vouchers.schema';

export type NewVoucher = Omit<VoucherDoc, 'organizationId'>;

/** Vouchers and their correction links are append-only (the schemas refuse updates and deletes). */
@Injectable()
export class VouchersRepository extends AppendOnlyTenantRepository<VoucherDoc> {
  constructor(
    @InjectModel(VoucherEntity.name) model: Model<VoucherDoc>,
    @InjectModel(VoucherCorrectionEntity.name) private readonly corrections: Model<VoucherCorrectionDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  private scopeCorrections(filter: FilterQuery<VoucherCorrectionDoc>) {
    return { ...filter, organizationId: this.organizationId };
  }

  /** Inserts with the number it carries. `ok: false`: the number (or the source step) already has a voucher. */
  async insertNumbered(voucher: NewVoucher): Promise<{ ok: true; voucher: VoucherDoc } | { ok: false }> {
    const doc = { ...voucher, organizationId: this.organizationId };
    try {
      await this.model.create(doc);
      return { ok: true, voucher: doc };
    } catch (error) {
      if (isDuplicateKey(error)) return { ok: false };
      throw error;
    }
  }

  findBySourceKey(sourceKey: string): Promise<VoucherDoc | null> {
    return this.model.findOne(this.scope({ sourceKey })).lean<VoucherDoc>().exec();
  }

  /** The highest number of a series in a fiscal year (0 when none). */
  async lastNumber(fiscalYear: number, series: string): Promise<number> {
    const last = await this.model
      .findOne(this.scope({ fiscalYear, series }))
      .sort({ number: -1 })
      .lean<VoucherDoc>()
      .exec();
    return last?.number ?? 0;
  }

  /** A fiscal year's vouchers in number order (series, number), after `after` when paging. */
  list(
    fiscalYear: number,
    options: { series?: string; after?: { series: string; number: number }; limit?: number } = {},
  ): Promise<VoucherDoc[]> {
    const where: FilterQuery<VoucherDoc> = { fiscalYear };
    if (options.series) where.series = options.series;
    if (options.after) {
      where.$or = [
        { series: { $gt: options.after.series } },
        { series: options.after.series, number: { $gt: options.after.number } },
      ];
    }
    const query = this.model.find(this.scope(where)).sort({ series: 1, number: 1 });
    if (options.limit) query.limit(options.limit);
    return query.lean<VoucherDoc[]>().exec();
  }

  /** Writes the link "original is corrected by correction" once; true if this call (or an identical one) wrote it. */
  async linkCorrection(originalId: string, correctionId: string, at: Date): Promise<boolean> {
    try {
      await this.corrections.create({
        _id: originalId,
        correctionId,
        at,
        organizationId: this.organizationId,
      });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.corrections
        .findOne(this.scopeCorrections({ _id: originalId }))
        .lean<VoucherCorrectionDoc>()
        .exec();
      return existing?.correctionId === correctionId;
    }
  }

  /** Every correction link of the organization (the organization export). */
  allCorrections(): Promise<VoucherCorrectionDoc[]> {
    return this.corrections.find(this.scopeCorrections({})).lean<VoucherCorrectionDoc[]>().exec();
  }

  /** correctedBy of each voucher id that has a correction. */
  async correctedBy(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const links = await this.corrections
      .find(this.scopeCorrections({ _id: { $in: ids } }))
      .lean<VoucherCorrectionDoc[]>()
      .exec();
    return new Map(links.map((l) => [l._id, l.correctionId]));
  }
}

@Injectable()
export class BookkeepingSettingsRepository {
  constructor(
    @InjectModel(BookkeepingSettingsEntity.name) private readonly model: Model<BookkeepingSettingsDoc>,
    private readonly context: RequestContext,
  ) {}

  get(): Promise<BookkeepingSettingsDoc | null> {
    const organizationId = this.context.requireTenant().organizationId;
    return this.model.findOne({ _id: organizationId, organizationId }).lean<BookkeepingSettingsDoc>().exec();
  }

  /**
   * Moves a plain-text number of old (`orgNumber`) to its encrypted field, once: only while the document still holds
   * that plain value, so two readers migrating at once write the same result.
   */
  async encryptLegacyOrgNumber(
    plain: string,
    orgNumberEnc: string,
    orgNumberKind: OrgNumberKind,
  ): Promise<void> {
    const organizationId = this.context.requireTenant().organizationId;
    await this.model
      .updateOne(
        { _id: organizationId, organizationId, orgNumber: plain },
        { $set: { orgNumberEnc, orgNumberKind, orgNumber: null } },
      )
      .exec();
  }

  async upsert(
    fields: Partial<
      Omit<BookkeepingSettingsDoc, '_id' | 'organizationId' | 'createdAt' | 'updatedAt' | 'orgNumber'>
    >,
  ): Promise<BookkeepingSettingsDoc> {
    const organizationId = this.context.requireTenant().organizationId;
    const doc = await this.model
      .findOneAndUpdate(
        { _id: organizationId, organizationId },
        { $set: fields },
        { upsert: true, new: true },
      )
      .lean<BookkeepingSettingsDoc>()
      .exec();
    return doc;
  }
}
