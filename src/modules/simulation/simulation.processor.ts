import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { SIMULATION_QUEUE, SimulationService } from './simulation.service';

/** Thin worker for simulation pulses. */
@Processor(SIMULATION_QUEUE)
export class SimulationProcessor extends WorkerHost {
  constructor(private readonly simulation: SimulationService) {
    super();
  }

  async process(job: Job<{ tenantId: string; customers: number; days: number; seed: number }>): Promise<unknown> {
    if (job.name !== 'pulse') throw new Error(`unknown simulation job ${job.name}`);
    const { tenantId, customers, days, seed } = job.data;
    return this.simulation.runPulse(tenantId, { customers, days, seed }, (percent) => job.updateProgress(percent));
  }
}
