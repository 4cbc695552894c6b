import { Module } from '@nestjs/common';
import { EventsModule } from '../events';
import { QueueModule } from '../../infra/queue';
import { CustomersModule } from '../customers';
import { HealthScoreModule } from '../health-score';
import { ActivityIngestService } from './activity-ingest.service';
import { SimulationController } from './simulation.controller';
import { SimulationProcessor } from './simulation.processor';
import { SimulationRepository } from './simulation.repository';
import { SIMULATION_QUEUE, SimulationService } from './simulation.service';

@Module({
  imports: [CustomersModule, HealthScoreModule, EventsModule, QueueModule.registerQueue(SIMULATION_QUEUE)],
  controllers: [SimulationController],
  providers: [SimulationRepository, ActivityIngestService, SimulationService, SimulationProcessor],
  exports: [ActivityIngestService],
})
export class SimulationModule {}
