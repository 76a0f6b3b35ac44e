import { Module } from '@nestjs/common';
import { FileStorage } from '@imgsearch/storage';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { QueryClientModule } from '../query-client/query-client.module';
import { ItemFilesService } from './item-files.service';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';

/** /api/items: read, list, edit and delete items, and serve their files. */
@Module({
  imports: [QueryClientModule],
  controllers: [ItemsController],
  providers: [
    {
      provide: FileStorage,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => new FileStorage(config.DATA_DIR),
    },
    ItemFilesService,
    ItemsService,
  ],
})
export class ItemsModule {}
