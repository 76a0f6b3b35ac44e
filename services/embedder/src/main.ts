import { bootstrapService, runService } from '@imgsearch/service';
import { EmbedderModule } from './embedder.module';
import { loadEmbedderConfig } from './embedder.config';

// A queue worker; HTTP serves only /metrics and /health/*. SIGTERM finishes the jobs in progress.
runService(loadEmbedderConfig, (config) =>
  bootstrapService(EmbedderModule.forRoot(config), {
    name: 'embedder',
    host: config.HOST,
    port: config.EMBEDDER_PORT,
  }),
);
