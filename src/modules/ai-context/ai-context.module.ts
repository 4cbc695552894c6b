import { Module } from '@nestjs/common';
import { EventsModule } from '../events';
import { AiContextController } from './ai-context.controller';
import { AiContextService } from './ai-context.service';

@Module({
  imports: [EventsModule],
  controllers: [AiContextController],
  providers: [AiContextService],
  exports: [AiContextService],
})
export class AiContextModule {}
