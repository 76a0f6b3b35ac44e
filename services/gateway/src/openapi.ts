import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the OpenAPI UI at /docs and the document at /docs-json, generated from the code. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('imgsearch gateway')
    .setDescription('Upload catalogues of images and find them by text or by example.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // The UI itself is served by SwaggerModule, not a controller; list it so the contract is whole.
  document.paths['/docs'] = {
    get: {
      tags: ['operations'],
      summary: 'This API documentation (OpenAPI UI)',
      responses: { 200: { description: 'HTML page' } },
    },
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
