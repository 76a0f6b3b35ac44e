import { Module } from '@nestjs/common';
import { QueryClient } from './query.client';

/** The query service's client; reads QUERY_URL and QUERY_TIMEOUT_MS from GATEWAY_CONFIG. */
@Module({
  providers: [QueryClient],
  exports: [QueryClient],
})
export class QueryClientModule {}
