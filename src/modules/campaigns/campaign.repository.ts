import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CampaignChangeRecord, CampaignRecord } from './campaign.schema';
import { CampaignState } from './domain/campaign-state';

/** Campaign runtime state and its change log. */
@Injectable()
export class CampaignRepository {
  constructor(
    @InjectModel(CampaignRecord.name) private readonly campaigns: Model<CampaignRecord>,
    @InjectModel(CampaignChangeRecord.name) private readonly changes: Model<CampaignChangeRecord>,
  ) {}

  async findById(campaignId: string): Promise<CampaignRecord | undefined> {
    return (await this.campaigns.findOne({ campaignId }).lean<CampaignRecord>()) ?? undefined;
  }

  async findAll(): Promise<CampaignRecord[]> {
    return this.campaigns.find().sort({ campaignId: 1 }).lean<CampaignRecord[]>();
  }

  /** Every campaign's id, read from the unique id index (campaigns are archived, never deleted). */
  async ids(): Promise<string[]> {
    const rows = await this.campaigns.find({}, { _id: 0, campaignId: 1 }).lean<Array<{ campaignId: string }>>();
    return rows.map((row) => row.campaignId);
  }

  /** Up to `limit` campaigns with ids after `after`, in id order: a keyset page read from the unique id index. */
  async findPage(after: string | undefined, limit: number): Promise<CampaignRecord[]> {
    const filter = after === undefined ? {} : { campaignId: { $gt: after } };
    return this.campaigns.find(filter).sort({ campaignId: 1 }).limit(limit).lean<CampaignRecord[]>();
  }

  async findActive(): Promise<CampaignRecord[]> {
    return this.campaigns.find({ state: 'active' }).sort({ campaignId: 1 }).lean<CampaignRecord[]>();
  }

  /**
   * Writes the synced fields of a campaign as it was read: one last synced at `readSyncedAt`, or a new one
   * (created with `insertOnly` too) when that is undefined. False when another sync wrote it meanwhile.
   */
  async saveSynced(
    campaignId: string,
    fields: Partial<CampaignRecord>,
    insertOnly: Partial<CampaignRecord>,
    readSyncedAt?: Date,
  ): Promise<boolean> {
    if (readSyncedAt === undefined) {
      const created = await this.campaigns.updateOne(
        { campaignId },
        { $setOnInsert: { ...insertOnly, ...fields } },
        { upsert: true },
      );
      return created.upsertedCount === 1;
    }
    const result = await this.campaigns.updateOne({ campaignId, syncedAt: readSyncedAt }, { $set: fields });
    return result.matchedCount === 1;
  }

  /**
   * Moves a campaign from one state to another only if it is still in `from` with `contentHash`: a
   * concurrent sync or state change makes this a no-op (false) instead of acting on a stale view.
   */
  async transition(
    campaignId: string,
    expected: { from: CampaignState; contentHash?: string },
    to: CampaignState,
    actor: string,
    at: Date,
  ): Promise<boolean> {
    const result = await this.campaigns.updateOne(
      {
        campaignId,
        state: expected.from,
        contentHash: expected.contentHash,
        // Only activation needs a clean definition: pausing must always be possible.
        ...(to === 'active' && { problems: { $size: 0 } }),
      },
      { $set: { state: to, stateChangedAt: at, stateChangedBy: actor } },
    );
    return result.modifiedCount === 1;
  }

  async recordChange(change: CampaignChangeRecord): Promise<void> {
    await this.changes.create(change);
  }

  /** Records a firing handled too late once for its due time, however many firings of that due time are handled. */
  async recordLateFiring(change: CampaignChangeRecord & { firingDueAt: Date }): Promise<void> {
    const { campaignId, action, firingDueAt } = change;
    await this.changes.updateOne({ campaignId, action, firingDueAt }, { $setOnInsert: change }, { upsert: true });
  }

  async findChanges(campaignId: string, limit = 50): Promise<CampaignChangeRecord[]> {
    return this.changes.find({ campaignId }, { _id: 0 }).sort({ at: -1 }).limit(limit).lean<CampaignChangeRecord[]>();
  }
}
