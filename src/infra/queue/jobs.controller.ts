import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../auth/auth.decorators';
import { AppError, ErrorCode } from '../../shared/app-error';
import { JobQueue } from './job-queue';

export class JobStatusDto {
  @ApiProperty({ example: 'purchase-metrics.42' }) id: string;
  @ApiProperty({ example: 'recompute-tenant' }) name: string;
  @ApiProperty({ example: 'active', enum: ['waiting', 'delayed', 'active', 'completed', 'failed', 'unknown'] }) state: string;
  @ApiProperty({ example: { processed: 5000, total: 10000, percent: 50 } }) progress: number | object;
  @ApiProperty({ example: null, nullable: true }) result: unknown;
  @ApiProperty({ example: null, nullable: true, type: String }) error: string | null;
  @ApiProperty({ example: 1 }) attemptsMade: number;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: null, nullable: true, type: String }) finishedAt: string | null;
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(@Inject(JobQueue) private readonly jobs: JobQueue) {}

  /** Status of a background job this tenant started. */
  @Get(':id')
  @ApiOkResponse({ type: JobStatusDto })
  async get(@CurrentTenant() tenantId: string, @Param('id') id: string): Promise<JobStatusDto> {
    const job = await this.jobs.get(id);
    if (!job || job.data.tenantId !== tenantId) throw AppError.notFound(ErrorCode.JOB_NOT_FOUND, 'Job', id);
    return { id: job.id, name: job.name, state: job.state, progress: job.progress, result: job.result, error: job.error, attemptsMade: job.attemptsMade, createdAt: job.createdAt, finishedAt: job.finishedAt };
  }
}
