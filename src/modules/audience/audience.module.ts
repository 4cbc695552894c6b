import { Global, Module } from '@nestjs/common';
import { AudienceRegistry } from './audience-registry';

/** One registry per app: global so the segments and loyalty modules reach the same instance. */
@Global()
@Module({ providers: [AudienceRegistry], exports: [AudienceRegistry] })
export class AudienceModule {}
