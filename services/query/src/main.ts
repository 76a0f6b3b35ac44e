import { bootstrapService, runService } from '@imgsearch/service';
import { configureQueryApp } from './query.app';
import { loadQueryConfig } from './query.config';
import { QueryModule } from './query.module';

runService(loadQueryConfig, (config) =>
  bootstrapService(QueryModule.forRoot(config), {
    name: 'query',
    host: config.HOST,
    port: config.QUERY_PORT,
    configure: configureQueryApp,
  }),
);
