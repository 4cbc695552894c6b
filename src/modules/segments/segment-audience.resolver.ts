import { Injectable, OnModuleInit } from '@nestjs/common';
import { isUuid } from '../../shared/uuid';
import { AudiencePage, AudienceRegistry, AudienceResolver } from '../audience';
import { SegmentsRepository } from './segments.repository';

/**
 * Segment membership for webhook filters and campaign audiences: the stored members of a segment (kept current
 * by the segments jobs), registered with the AudienceRegistry at start-up.
 */
@Injectable()
export class SegmentAudienceResolver implements AudienceResolver, OnModuleInit {
  constructor(
    private readonly repo: SegmentsRepository,
    private readonly registry: AudienceRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.useAudienceResolver(this);
  }

  async segmentExists(tenantId: string, segmentId: string): Promise<boolean> {
    return isUuid(segmentId) && (await this.repo.find(tenantId, segmentId)) !== null;
  }

  async isMember(tenantId: string, segmentId: string, customerId: string): Promise<boolean> {
    if (!isUuid(segmentId) || !isUuid(customerId) || !(await this.repo.find(tenantId, segmentId))) return false;
    return this.repo.isMember(segmentId, customerId);
  }

  async listMembers(tenantId: string, segmentId: string, cursor: string | null, limit: number): Promise<AudiencePage> {
    if (!(await this.segmentExists(tenantId, segmentId))) return { customerIds: [], nextCursor: null };
    const ids = await this.repo.memberIds(segmentId, cursor && isUuid(cursor) ? cursor : null, limit);
    return { customerIds: ids, nextCursor: ids.length === limit ? ids[ids.length - 1] : null };
  }
}
