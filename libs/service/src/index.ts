export { bootstrapService, runService, type BootstrapOptions } from './bootstrap';
export { HealthController, READINESS_CHECKS, type ReadinessCheck } from './health.controller';
export { HttpErrorFilter, type ErrorBody } from './http-error.filter';
export { metricsRegistry } from './metrics';
export { IS_PUBLIC_KEY, Public } from './public.decorator';
export { ServiceModule, type ServiceModuleOptions } from './service.module';
