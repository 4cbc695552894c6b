import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '../../shared/app-error';

export interface ErrorEnvelope {
  error: { code: string; message: string; details: unknown; requestId: string | null };
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.BAD_REQUEST,
  422: ErrorCode.UNPROCESSABLE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

/** Turns anything thrown into one envelope: { error: { code, message, details, requestId } }. */
export function toEnvelope(exception: unknown, requestId: string | null): { status: number; body: ErrorEnvelope } {
  let status = 500;
  let code: string = ErrorCode.INTERNAL;
  let message = 'Internal server error';
  let details: unknown = null;

  if (exception instanceof AppError) {
    status = exception.status;
    code = exception.code;
    message = exception.message;
    details = exception.details ?? null;
  } else if (exception instanceof ThrottlerException) {
    status = 429;
    code = ErrorCode.RATE_LIMITED;
    message = 'Too many requests';
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
    code = HTTP_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST);
    const res = exception.getResponse();
    message = typeof res === 'string' ? res : ((res as { message?: string | string[] }).message?.toString() ?? exception.message);
  } else if (isFastifyError(exception)) {
    // Fastify's own errors: body too large, malformed JSON, unsupported media type.
    status = exception.statusCode!;
    code = exception.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? ErrorCode.PAYLOAD_TOO_LARGE : (HTTP_CODES[status] ?? ErrorCode.BAD_REQUEST);
    message = exception.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(exception.message) ? `Malformed JSON body: ${exception.message}` : exception.message;
    details = { fastifyCode: exception.code };
  }
  return { status, body: { error: { code, message, details, requestId } } };
}

function isFastifyError(e: unknown): e is FastifyLikeError {
  const s = (e as FastifyLikeError | null)?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500;
}

@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const { status, body } = toEnvelope(exception, (req?.id as string) ?? null);
    if (status >= 500) this.logger.error({ err: exception, requestId: req?.id }, 'unhandled error');
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
