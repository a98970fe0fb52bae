import { Module } from '@nestjs/common';
import { DependencyProbes } from '../../infrastructure/health/dependency-probes';
import { HealthController } from './health.controller';

@Module({ controllers: [HealthController], providers: [DependencyProbes] })
export class HealthModule {}
