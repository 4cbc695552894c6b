import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CustomerIQ API')
    .setDescription(
      'Customer intelligence: profiles, notes, preferences, events, metrics, loyalty and health. ' +
        'Authenticate with POST /api/v1/auth/login (or register), then press Authorize and paste the accessToken.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/** Swagger UI at /api-docs (JSON at /api-docs-json). */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api-docs', app, () => buildOpenApiDocument(app), { swaggerOptions: { persistAuthorization: true } });
}
